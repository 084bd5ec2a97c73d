import { cleanValue } from '#schemas/clean-value.ts';
import {
  BANK_RETURN_COLUMNS,
  type BankReturnColumn,
  REQUIRED_BANK_RETURN_COLUMNS,
} from '#schemas/closeout.ts';
import { isBlankRecord } from './blank-record.ts';
import type { ReturnLine } from './return-line.ts';

/** Where each bank return column sits in a file's records, and which required columns are absent. */
export interface BankReturnHeader {
  /** 0-based field index of every column found. */
  readonly indexOf: Partial<Record<BankReturnColumn, number>>;
  /** Every absent required column, in contract order (2.3). */
  readonly missing: BankReturnColumn[];
}

/**
 * Maps a bank return file's header record to its columns (contract 2, 2.3): each name is cleaned
 * like a value (a stray leading BOM too) and matched case-insensitively against the contract's
 * English column names. Unknown columns are ignored; when a column appears twice the first one wins.
 * `reason` and `value_date` may be absent (their values are then empty).
 * @example resolveBankReturnHeader([' Payment_Ref', 'STATUS']).missing // ['account_number', 'amount']
 */
export function resolveBankReturnHeader(header: readonly string[]): BankReturnHeader {
  const known = new Set<string>(BANK_RETURN_COLUMNS);
  const indexOf: Partial<Record<BankReturnColumn, number>> = {};
  header.forEach((raw, i) => {
    const name = cleanValue(raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw).toLowerCase();
    if (known.has(name) && indexOf[name as BankReturnColumn] === undefined) {
      indexOf[name as BankReturnColumn] = i;
    }
  });
  const missing = REQUIRED_BANK_RETURN_COLUMNS.filter((c) => indexOf[c] === undefined);
  return { indexOf, missing };
}

/**
 * The return line of one data record of a bank return file, or `undefined` for a blank record
 * (every field empty after trimming: skipped, its row number kept — contract section 2).
 * A record shorter than the header has its missing fields empty.
 */
export function returnLineOf(
  source: string,
  row: number,
  fields: readonly string[],
  header: BankReturnHeader,
): ReturnLine | undefined {
  if (isBlankRecord(fields)) return undefined;
  return {
    source,
    row,
    paymentRef: fieldOf(fields, header, 'payment_ref'),
    accountNumber: fieldOf(fields, header, 'account_number'),
    amount: fieldOf(fields, header, 'amount'),
    status: fieldOf(fields, header, 'status'),
    reason: fieldOf(fields, header, 'reason'),
    valueDate: fieldOf(fields, header, 'value_date'),
  };
}

/** A field of a bank return record by column: `''` for an absent column or a missing field. */
function fieldOf(fields: readonly string[], header: BankReturnHeader, column: BankReturnColumn): string {
  const at = header.indexOf[column];
  return at === undefined ? '' : (fields[at] ?? '');
}
