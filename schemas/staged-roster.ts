import { Dictionary, Field, Int8, Int16, Int32, Schema, Uint32, Utf8 } from 'apache-arrow';
import { z } from 'zod';
import { CATEGORY_CODES } from './categories.ts';

/**
 * A valid roster row as staged for the month run (contract 2.1 after validation).
 * Amounts are integer fen; category and town are codes.
 *
 * @example
 * { row: 3, idNumber: '44200019800101123X', name: '张三', householdId: 'H001', category: 'DIBAO',
 *   amountFen: 118000, town: 'shiqi', accountNumber: '6222020200001234567', accountHolderId: '', remark: '' }
 */
export const StagedRosterRowSchema = z.object({
  row: z.number().int().positive(),
  idNumber: z.string().regex(/^\d{17}[\dX]$/),
  name: z.string().min(1).max(50),
  householdId: z.string().min(1),
  category: z.enum(CATEGORY_CODES),
  amountFen: z.number().int().positive().max(10_000_000),
  town: z.string().min(1),
  accountNumber: z.string().regex(/^\d{10,25}$/),
  /** Empty when the column or value is absent. */
  accountHolderId: z.string(),
  remark: z.string(),
});
export type StagedRosterRow = z.infer<typeof StagedRosterRowSchema>;

/** Arrow type of the `category` column: the nine codes of contract 2.2, in table order. */
export const CATEGORY_TYPE = new Dictionary(new Utf8(), new Int8(), 0);
/** Arrow type of the `town` column: the town codes of `reference/towns.csv`, in file order. */
export const TOWN_TYPE = new Dictionary(new Utf8(), new Int16(), 1);

/**
 * Arrow schema of a staged roster file (`staged/{month}/{batch}/{uploadId}.arrow`).
 * `amount_fen` fits Int32: the contract caps an amount at 100000.00 yuan = 10,000,000 fen.
 * Category and town are dictionary-encoded codes.
 */
export const STAGED_ROSTER_SCHEMA = new Schema([
  new Field('row', new Uint32(), false),
  new Field('id_number', new Utf8(), false),
  new Field('name', new Utf8(), false),
  new Field('household_id', new Utf8(), false),
  new Field('category', CATEGORY_TYPE, false),
  new Field('amount_fen', new Int32(), false),
  new Field('town', TOWN_TYPE, false),
  new Field('account_number', new Utf8(), false),
  new Field('account_holder_id', new Utf8(), false),
  new Field('remark', new Utf8(), false),
]);
