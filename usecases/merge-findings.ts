import { compareFindings } from '#domain/month-check/compare-findings.ts';
import type { Finding } from '#schemas/finding.ts';

/** One sorted stream of findings, named for the error when it is not sorted. */
export interface FindingSource {
  readonly name: string;
  readonly findings: AsyncIterable<Finding>;
}

interface Head {
  readonly source: FindingSource;
  /** Position of the source in the list given. */
  readonly rank: number;
  readonly iterator: AsyncIterator<Finding>;
  finding: Finding;
}

/**
 * Merges streams each in `compareFindings` order into one stream in that order (a k-way merge on
 * a binary heap), holding one finding per stream: `findings.csv` of any size from the uploads'
 * and partitions' findings, in the order sorting them all would give.
 * @throws Error when a stream is not in order (it would silently misplace findings otherwise).
 */
export async function* mergeFindings(sources: readonly FindingSource[]): AsyncGenerator<Finding> {
  const heap: Head[] = [];
  const advance = async (head: Head): Promise<boolean> => {
    const next = await head.iterator.next();
    if (next.done) return false;
    if (compareFindings(head.finding, next.value) > 0) {
      throw new Error(`${head.source.name} is not in findings order at ${JSON.stringify(next.value)}`);
    }
    head.finding = next.value;
    return true;
  };
  try {
    for (const [rank, source] of sources.entries()) {
      const iterator = source.findings[Symbol.asyncIterator]();
      const first = await iterator.next();
      if (first.done) continue;
      heap.push({ source, rank, iterator, finding: first.value });
      siftUp(heap, heap.length - 1);
    }
    while (heap.length > 0) {
      const top = heap[0] as Head;
      yield top.finding;
      if (!(await advance(top))) {
        const last = heap.pop() as Head;
        if (heap.length === 0) break;
        heap[0] = last;
      }
      siftDown(heap, 0);
    }
  } finally {
    await Promise.all(heap.map((head) => head.iterator.return?.()));
  }
}

/** Heads in order; ties go to the earlier source, so equal findings keep the sources' order. */
function before(a: Head, b: Head): boolean {
  const c = compareFindings(a.finding, b.finding);
  return c < 0 || (c === 0 && a.rank < b.rank);
}

function siftUp(heap: Head[], index: number): void {
  let i = index;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i] as Head, heap[parent] as Head)) break;
    [heap[i], heap[parent]] = [heap[parent] as Head, heap[i] as Head];
    i = parent;
  }
}

function siftDown(heap: Head[], index: number): void {
  let i = index;
  for (;;) {
    const left = 2 * i + 1;
    const right = left + 1;
    let first = i;
    if (left < heap.length && before(heap[left] as Head, heap[first] as Head)) first = left;
    if (right < heap.length && before(heap[right] as Head, heap[first] as Head)) first = right;
    if (first === i) return;
    [heap[i], heap[first]] = [heap[first] as Head, heap[i] as Head];
    i = first;
  }
}
