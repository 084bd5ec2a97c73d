import {
  AsyncByteQueue,
  Field,
  RecordBatchFileWriter,
  Schema,
  Table,
  Uint32,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import type { Finding } from '#schemas/finding.ts';

/** Arrow schema of `reports/{month}/findings.arrow`: the columns of findings.csv, typed. */
export const FINDINGS_ARROW_SCHEMA = new Schema([
  new Field('month', new Utf8(), false),
  new Field('batch', new Utf8(), false),
  new Field('row', new Uint32(), true),
  new Field('id_number', new Utf8(), true),
  new Field('category', new Utf8(), true),
  new Field('code', new Utf8(), false),
  new Field('severity', new Utf8(), false),
  new Field('detail', new Utf8(), false),
]);

/** Findings per record batch of a streamed file. */
const BATCH_FINDINGS = 65_536;

/** The findings as a table of one record batch (at least one finding). */
function tableOf(findings: readonly Finding[]): Table {
  const column = <T>(name: string, values: T[]) => {
    const field = FINDINGS_ARROW_SCHEMA.fields.find((f) => f.name === name) as Field;
    return vectorFromArray(values, field.type);
  };
  return new Table(FINDINGS_ARROW_SCHEMA, {
    month: column(
      'month',
      findings.map((f) => f.month),
    ),
    batch: column(
      'batch',
      findings.map((f) => f.batch),
    ),
    row: column(
      'row',
      findings.map((f) => f.row ?? null),
    ),
    id_number: column(
      'id_number',
      findings.map((f) => f.idNumber ?? null),
    ),
    category: column(
      'category',
      findings.map((f) => f.category ?? null),
    ),
    code: column(
      'code',
      findings.map((f) => f.code),
    ),
    severity: column(
      'severity',
      findings.map((f) => f.severity),
    ),
    detail: column(
      'detail',
      findings.map((f) => f.detail),
    ),
  });
}

/** Arrow builds a zero-length column with another (nullable) field, so no findings is an empty table. */
const emptyFile = () => RecordBatchFileWriter.writeAll(new Table(FINDINGS_ARROW_SCHEMA)).toUint8Array(true);

/** The findings as one Arrow IPC file, in the given order. */
export function findingsToArrow(findings: readonly Finding[]): Uint8Array {
  if (findings.length === 0) return emptyFile();
  return RecordBatchFileWriter.writeAll(tableOf(findings)).toUint8Array(true);
}

/** The writer's output, taken as it is written (the writer's own queue would hold the whole file). */
class TakenBytes extends AsyncByteQueue {
  private pieces: Uint8Array[] = [];

  override write(value: ArrayBufferView | ArrayBufferLike | string): void {
    if (typeof value === 'string') this.pieces.push(Buffer.from(value, 'utf8'));
    else if (ArrayBuffer.isView(value))
      this.pieces.push(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    else this.pieces.push(new Uint8Array(value));
  }

  take(): Uint8Array[] {
    const pieces = this.pieces;
    this.pieces = [];
    return pieces;
  }
}

/**
 * The findings as one Arrow IPC file, written as they come in record batches of 65,536: only one
 * batch is held at a time. Same schema and content as {@link findingsToArrow}.
 */
export async function* findingsArrowFile(findings: AsyncIterable<Finding>): AsyncGenerator<Uint8Array> {
  const sink = new TakenBytes();
  const writer = new RecordBatchFileWriter();
  writer.reset(sink, FINDINGS_ARROW_SCHEMA);
  let batch: Finding[] = [];
  let written = 0;
  const flush = function* () {
    for (const recordBatch of tableOf(batch).batches) writer.write(recordBatch);
    written += batch.length;
    batch = [];
    yield* sink.take();
  };
  for await (const finding of findings) {
    batch.push(finding);
    if (batch.length === BATCH_FINDINGS) yield* flush();
  }
  if (batch.length > 0) yield* flush();
  if (written === 0) {
    yield emptyFile();
    return;
  }
  writer.finish();
  yield* sink.take();
}
