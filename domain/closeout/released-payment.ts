import { cleanValue } from '#schemas/clean-value.ts';
import { RELEASE_CSV_COLUMNS, type ReleaseCsvColumn, type ReleasedPayment } from '#schemas/closeout.ts';
import { parseBankAmount } from '#schemas/money.ts';
import { unguardFormula } from '#schemas/spreadsheet-formula.ts';
import { isBlankFields } from './blank-record.ts';
import type { RecordFields } from './record-fields.ts';

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

/** What the close-out keeps of a released payment, read from its record and checked. */
export type ReleasedTerms = Pick<ReleasedPayment, 'paymentRef' | 'row' | 'accountNumber' | 'amountFen'>;

/**
 * The terms of one data record of `release.csv` (its `payment_ref`, row, account and amount,
 * values cleaned), checked as {@link releasedPaymentOf} checks the whole payment; `undefined`
 * for a blank record. Reads only those fields: the close-out holds no more of a payment.
 */
export function releasedTermsOf(
  record: RecordFields,
  indexOf: Readonly<Record<ReleaseCsvColumn, number>>,
): ReleasedTerms | { readonly problem: string } | undefined {
  const paymentRef = releaseValue(record, indexOf, 'payment_ref');
  // Only a record without a ref can be blank: the others' fields need not all be read.
  if (paymentRef === '') return isBlankFields(record) ? undefined : { problem: 'payment_ref is empty' };
  const amount = parseBankAmount(releaseValue(record, indexOf, 'amount'));
  if (!amount.ok) return { problem: `${paymentRef}: ${amount.reason}` };
  const row = releaseValue(record, indexOf, 'row');
  if (!/^[1-9]\d{0,9}$/.test(row)) return { problem: `${paymentRef}: row "${row}" is not a row number` };
  return {
    paymentRef,
    row: Number(row),
    accountNumber: releaseValue(record, indexOf, 'account_number'),
    amountFen: amount.fen,
  };
}

/**
 * The released payment of one data record of `release.csv`, values cleaned; `undefined` for a blank
 * record. The release is the pipeline's own output, so a bad value is a broken release, not data to
 * judge: the reason is returned for the caller to stop on.
 */
export function releasedPaymentOf(
  record: RecordFields,
  indexOf: Readonly<Record<ReleaseCsvColumn, number>>,
): ReleasedPayment | { readonly problem: string } | undefined {
  const terms = releasedTermsOf(record, indexOf);
  if (terms === undefined || 'problem' in terms) return terms;
  return {
    paymentRef: terms.paymentRef,
    batch: releaseValue(record, indexOf, 'batch'),
    row: terms.row,
    idNumber: releaseValue(record, indexOf, 'id_number'),
    name: releaseValue(record, indexOf, 'name'),
    accountNumber: terms.accountNumber,
    amountFen: terms.amountFen,
    category: releaseValue(record, indexOf, 'category'),
    town: releaseValue(record, indexOf, 'town'),
  };
}

/**
 * The `payment_ref` of one data record of `release.csv`, cleaned, or `undefined` for a blank record:
 * for a reader of a release already read once that needs only the refs (and whole payments of a few).
 */
export function releasedRefOf(
  record: RecordFields,
  indexOf: Readonly<Record<ReleaseCsvColumn, number>>,
): string | undefined {
  const paymentRef = releaseValue(record, indexOf, 'payment_ref');
  return paymentRef === '' && isBlankFields(record) ? undefined : paymentRef;
}

/**
 * What a field of `release.csv` reads back as, from its raw text: cleaned, and unguarded, since it
 * is written with the formula guard of contract 4 (a batch or town code may begin with `-`).
 */
export function releaseText(raw: string | undefined): string {
  return unguardFormula(cleanValue(raw));
}

/**
 * One value of a release record ({@link releaseText}). A module function, not a closure per
 * record: a million records read twice make that visible.
 */
function releaseValue(
  record: RecordFields,
  indexOf: Readonly<Record<ReleaseCsvColumn, number>>,
  column: ReleaseCsvColumn,
): string {
  return releaseText(record.field(indexOf[column]));
}
