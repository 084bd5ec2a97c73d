import { Field, RecordBatchFileWriter, Schema, Table, Uint32, Utf8, vectorFromArray } from 'apache-arrow';
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

/** The findings as one Arrow IPC file, in the given order. */
export function findingsToArrow(findings: readonly Finding[]): Uint8Array {
  // Arrow builds a zero-length column with another (nullable) field, so no findings is an empty table.
  if (findings.length === 0) {
    return RecordBatchFileWriter.writeAll(new Table(FINDINGS_ARROW_SCHEMA)).toUint8Array(true);
  }
  const column = <T>(name: string, values: T[]) => {
    const field = FINDINGS_ARROW_SCHEMA.fields.find((f) => f.name === name) as Field;
    return vectorFromArray(values, field.type);
  };
  const table = new Table(FINDINGS_ARROW_SCHEMA, {
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
  return RecordBatchFileWriter.writeAll(table).toUint8Array(true);
}
