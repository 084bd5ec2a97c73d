import {
  type RecordBatch,
  RecordBatchReader,
  RecordBatchStreamWriter,
  Table,
  tableFromIPC,
} from 'apache-arrow';
import type { Finding } from '#schemas/finding.ts';
import { FINDINGS_ARROW_SCHEMA } from './findings-arrow.ts';

/** The columns of a findings row the release needs. */
export interface FindingRowRef {
  readonly batch: string;
  readonly row: number | undefined;
  readonly code: string;
  readonly severity: string;
}

function rowsOf(batch: RecordBatch): FindingRowRef[] {
  const batchColumn = batch.getChild('batch');
  const rowColumn = batch.getChild('row');
  const codeColumn = batch.getChild('code');
  const severityColumn = batch.getChild('severity');
  if (!batchColumn || !rowColumn || !codeColumn || !severityColumn) {
    throw new Error('findings.arrow lacks one of the columns batch, row, code, severity');
  }
  const rows: FindingRowRef[] = [];
  for (let i = 0; i < batch.numRows; i++) {
    const row = rowColumn.get(i) as number | null;
    rows.push({
      batch: String(batchColumn.get(i)),
      row: row === null ? undefined : row,
      code: String(codeColumn.get(i)),
      severity: String(severityColumn.get(i)),
    });
  }
  return rows;
}

/** `ARROW1` and two bytes of padding: what an Arrow IPC file has before its messages. */
const FILE_HEAD = 8;
const MAGIC = 'ARROW1';

/**
 * The schema message of the findings file as a stream begins with it (a file keeps its schema in
 * its footer only): the stream writer's output for no rows, less its end-of-stream marker.
 */
const schemaMessage = (() => {
  const stream = RecordBatchStreamWriter.writeAll(new Table(FINDINGS_ARROW_SCHEMA)).toUint8Array(true);
  return stream.subarray(0, stream.length - 8);
})();

/**
 * Reads `findings.arrow` as it streams in, one record batch of rows at a time, without holding the
 * file: its messages are read in order as an Arrow stream (the file's schema is the fixed
 * {@link FINDINGS_ARROW_SCHEMA}), up to the end-of-stream marker before the footer.
 * @throws Error when the bytes are not an Arrow IPC file.
 */
export async function* streamFindingRows(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<FindingRowRef[]> {
  async function* asStream() {
    yield schemaMessage;
    let head = Buffer.alloc(0);
    for await (const chunk of bytes) {
      if (head.length === FILE_HEAD) {
        yield chunk;
        continue;
      }
      const needed = FILE_HEAD - head.length;
      head = Buffer.concat([head, chunk.subarray(0, needed)]);
      if (head.length < FILE_HEAD) continue;
      if (head.toString('latin1', 0, MAGIC.length) !== MAGIC) {
        throw new Error('findings.arrow is not an Arrow IPC file');
      }
      if (chunk.length > needed) yield chunk.subarray(needed);
    }
  }
  const reader = await RecordBatchReader.from(asStream());
  for await (const batch of reader) yield rowsOf(batch);
}

/**
 * Reads `findings.arrow` (as `findingsToArrow` wrote it) back as whole findings, in file order.
 * @throws Error when a column of the findings is missing.
 */
export function readFindings(bytes: Uint8Array): Finding[] {
  return Array.from(eachFinding(bytes));
}

/**
 * The findings of `findings.arrow` one at a time, in file order: a caller that keeps only some of
 * them never holds them all as objects.
 * @throws Error when a column of the findings is missing.
 */
export function* eachFinding(bytes: Uint8Array): Generator<Finding> {
  for (const batch of tableFromIPC(bytes).batches) {
    const columns = FINDING_COLUMNS.map((name) => batch.getChild(name));
    const [month, batchColumn, row, idNumber, category, code, severity, detail] = columns;
    if (!month || !batchColumn || !row || !idNumber || !category || !code || !severity || !detail) {
      throw new Error(`findings.arrow lacks one of the columns ${FINDING_COLUMNS.join(', ')}`);
    }
    for (let i = 0; i < batch.numRows; i++) {
      const r = row.get(i) as number | null;
      const id = idNumber.get(i) as string | null;
      const cat = category.get(i) as string | null;
      yield {
        month: String(month.get(i)),
        batch: String(batchColumn.get(i)),
        ...(r === null ? {} : { row: r }),
        ...(id === null ? {} : { idNumber: id }),
        ...(cat === null ? {} : { category: cat }),
        code: String(code.get(i)) as Finding['code'],
        severity: String(severity.get(i)) as Finding['severity'],
        detail: String(detail.get(i)),
      };
    }
  }
}

const FINDING_COLUMNS = [
  'month',
  'batch',
  'row',
  'id_number',
  'category',
  'code',
  'severity',
  'detail',
] as const;
