import { RELEASE_CSV_COLUMNS, type ReleasedPayment } from '#schemas/closeout.ts';
import { formatFen } from '#schemas/money.ts';
import { paymentRef } from '#schemas/payment-ref.ts';
import { csvLine } from './csv-writer.ts';

/**
 * `release.csv` exactly as it is approved and written (contract 4): header, then one CRLF line per
 * payment, amounts with 2 decimals, category and town as codes. The same rows always give the same
 * bytes, so its SHA-256 is what an approval is bound to. Each line's `payment_ref` is made from its
 * batch and row ({@link paymentRef}).
 */
export function releaseCsv(month: string, rows: readonly Omit<ReleasedPayment, 'paymentRef'>[]): string {
  return releaseCsvHeader() + releaseCsvLines(month, rows);
}

/** The header line of `release.csv` ({@link releaseCsv}), for a release written piece by piece. */
export const releaseCsvHeader = (): string => csvLine(RELEASE_CSV_COLUMNS);

/**
 * The lines of `rows` as {@link releaseCsv} writes them, without the header: a release written
 * piece by piece is the header, then the lines of its pieces in order.
 */
export function releaseCsvLines(month: string, rows: readonly Omit<ReleasedPayment, 'paymentRef'>[]): string {
  const lines: string[] = [];
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
