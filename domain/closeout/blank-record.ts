import { cleanValue } from '#schemas/clean-value.ts';
import type { RecordFields } from './record-fields.ts';

/**
 * Whether every field of a record is empty after cleaning (contract section 2: a blank record).
 * A loop rather than a closure per record: a million records make that visible.
 */
export function isBlankRecord(fields: readonly string[]): boolean {
  for (const field of fields) if (cleanValue(field) !== '') return false;
  return true;
}

/** {@link isBlankRecord} of a record read field by field. */
export function isBlankFields(record: RecordFields): boolean {
  for (let i = 0; i < record.fieldCount; i++) if (cleanValue(record.field(i)) !== '') return false;
  return true;
}
