import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

/**
 * The findings of a `findings.csv`-shaped file as a multiset of `batch|row|id_number|category|code`
 * (the detail text left out), so the bench can check that payguard and the DuckDB baseline found
 * the same things.
 */
export async function readFindingMultiset(path: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const parser = createReadStream(path, { highWaterMark: 1 << 20 }).pipe(parse({ bom: true, columns: true }));
  for await (const record of parser as AsyncIterable<Record<string, string>>) {
    const key = [record.batch, record.row, record.id_number, record.category, record.code].join('|');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** What one multiset has more of than the other, and the count per code of each. */
export interface MultisetDifference {
  readonly onlyLeft: string[];
  readonly onlyRight: string[];
  readonly byCode: Map<string, { left: number; right: number }>;
}

export function compareMultisets(left: Map<string, number>, right: Map<string, number>): MultisetDifference {
  const onlyLeft: string[] = [];
  const onlyRight: string[] = [];
  const byCode = new Map<string, { left: number; right: number }>();
  const tally = (key: string, side: 'left' | 'right', n: number) => {
    const code = key.slice(key.lastIndexOf('|') + 1);
    const entry = byCode.get(code) ?? { left: 0, right: 0 };
    entry[side] += n;
    byCode.set(code, entry);
  };
  for (const [key, n] of left) {
    tally(key, 'left', n);
    const m = right.get(key) ?? 0;
    for (let i = m; i < n; i++) onlyLeft.push(key);
  }
  for (const [key, n] of right) {
    tally(key, 'right', n);
    const m = left.get(key) ?? 0;
    for (let i = m; i < n; i++) onlyRight.push(key);
  }
  return { onlyLeft, onlyRight, byCode };
}
