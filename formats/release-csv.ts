import { RELEASE_CSV_COLUMNS } from '#schemas/closeout.ts';
import { formatFen } from '#schemas/money.ts';
import { paymentRef } from '#schemas/payment-ref.ts';
import { csvLine } from './csv-writer.ts';

/** What `release.csv` says of one payment (a released roster row). */
export interface ReleaseCsvRow {
  readonly batch: string;
  readonly row: number;
  readonly idNumber: string;
  readonly name: string;
  readonly accountNumber: string;
  /** Integer fen. */
  readonly amountFen: number;
  /** Category code. */
  readonly category: string;
  /** Town code. */
  readonly town: string;
}

/**
 * `release.csv` exactly as it is approved and written (contract 4): header, then one CRLF line per
 * payment, amounts with 2 decimals, category and town as codes. The same rows always give the same
 * bytes, so its SHA-256 is what an approval is bound to.
 */
export function releaseCsv(month: string, rows: readonly ReleaseCsvRow[]): string {
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
