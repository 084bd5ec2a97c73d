import { cleanValue } from '#schemas/clean-value.ts';
import { RELEASE_CSV_COLUMNS, type ReleaseCsvColumn, type ReleasedPayment } from '#schemas/closeout.ts';
import { parseBankAmount } from '#schemas/money.ts';
import { unguardFormula } from '#schemas/spreadsheet-formula.ts';
import { isBlankRecord } from './blank-record.ts';

/** Field index of every `release.csv` column, or the columns the header lacks. */
export type ReleaseHeader =
  | { readonly ok: true; readonly indexOf: Readonly<Record<ReleaseCsvColumn, number>> }
  | { readonly ok: false; readonly missing: readonly ReleaseCsvColumn[] };

/**
 * Maps the header of `release.csv` to its columns, names matched case-insensitively after trimming
 * (first occurrence wins). Every column of `RELEASE_CSV_COLUMNS` is required.
 */
export function resolveReleaseHeader(header: readonly string[]): ReleaseHeader {
  const indexOf: Partial<Record<ReleaseCsvColumn, number>> = {};
  const known = new Set<string>(RELEASE_CSV_COLUMNS);
  header.forEach((raw, i) => {
    const name = cleanValue(raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw).toLowerCase();
    if (known.has(name) && indexOf[name as ReleaseCsvColumn] === undefined) {
      indexOf[name as ReleaseCsvColumn] = i;
    }
  });
  const missing = RELEASE_CSV_COLUMNS.filter((c) => indexOf[c] === undefined);
  return missing.length > 0
    ? { ok: false, missing }
    : { ok: true, indexOf: indexOf as Record<ReleaseCsvColumn, number> };
}

/**
 * The released payment of one data record of `release.csv`, values cleaned; `undefined` for a blank
 * record. The release is the pipeline's own output, so a bad value is a broken release, not data to
 * judge: the reason is returned for the caller to stop on.
 */
export function releasedPaymentOf(
  fields: readonly string[],
  indexOf: Readonly<Record<ReleaseCsvColumn, number>>,
): ReleasedPayment | { readonly problem: string } | undefined {
  if (isBlankRecord(fields)) return undefined;
  const paymentRef = releaseValue(fields, indexOf, 'payment_ref');
  if (paymentRef === '') return { problem: 'payment_ref is empty' };
  const amount = parseBankAmount(releaseValue(fields, indexOf, 'amount'));
  if (!amount.ok) return { problem: `${paymentRef}: ${amount.reason}` };
  const row = releaseValue(fields, indexOf, 'row');
  if (!/^[1-9]\d{0,9}$/.test(row)) return { problem: `${paymentRef}: row "${row}" is not a row number` };
  return {
    paymentRef,
    batch: releaseValue(fields, indexOf, 'batch'),
    row: Number(row),
    idNumber: releaseValue(fields, indexOf, 'id_number'),
    name: releaseValue(fields, indexOf, 'name'),
    accountNumber: releaseValue(fields, indexOf, 'account_number'),
    amountFen: amount.fen,
    category: releaseValue(fields, indexOf, 'category'),
    town: releaseValue(fields, indexOf, 'town'),
  };
}

/**
 * The `payment_ref` of one data record of `release.csv`, cleaned, or `undefined` for a blank record:
 * for a reader of a release already read once that needs only the refs (and whole payments of a few).
 */
export function releasedRefOf(
  fields: readonly string[],
  indexOf: Readonly<Record<ReleaseCsvColumn, number>>,
): string | undefined {
  return isBlankRecord(fields) ? undefined : releaseValue(fields, indexOf, 'payment_ref');
}

/**
 * One cleaned value of a release record. Written with the formula guard of contract 4 (a batch or
 * town code may begin with `-`), so unguarded. A module function, not a closure per record: a
 * million records read twice make that visible.
 */
function releaseValue(
  fields: readonly string[],
  indexOf: Readonly<Record<ReleaseCsvColumn, number>>,
  column: ReleaseCsvColumn,
): string {
  return unguardFormula(cleanValue(fields[indexOf[column]]));
}
