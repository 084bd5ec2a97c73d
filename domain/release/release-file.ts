import type { PayeeRow } from '#domain/month-check/records.ts';
import { csvLine } from '#formats/csv-writer.ts';
import { RELEASE_CSV_COLUMNS } from '#schemas/closeout.ts';
import { formatFen } from '#schemas/money.ts';
import { paymentRef } from './payment-ref.ts';

/** `batch#row`: how a held row is keyed. */
export const rowKey = (batch: string, row: number) => `${batch}#${row}`;

/**
 * The rows to release (contract 4: every valid row with no BLOCK finding), in the order given
 * (batch, then row).
 */
export function releaseRows(payees: readonly PayeeRow[], held: ReadonlySet<string>): PayeeRow[] {
  return payees.filter((p) => !held.has(rowKey(p.batch, p.row)));
}

/**
 * `release.csv` exactly as it is approved and written: header, then one CRLF line per payment,
 * amounts with 2 decimals, category and town as codes. The same rows always give the same bytes,
 * so its SHA-256 is what an approval is bound to.
 */
export function releaseCsv(month: string, rows: readonly PayeeRow[]): string {
  const lines = [csvLine(RELEASE_CSV_COLUMNS)];
  for (const r of rows) {
    lines.push(
      csvLine([
        paymentRef(month, r.batch, r.row),
        r.batch,
        r.row,
        r.idNumber,
        r.name,
        r.accountNumber,
        formatFen(r.amountFen),
        r.category,
        r.town,
      ]),
    );
  }
  return lines.join('');
}
