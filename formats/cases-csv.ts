import { CASES_CSV_COLUMNS, type CaseLine } from '#schemas/case.ts';
import { formatFen } from '#schemas/money.ts';
import { csvLine } from './csv-writer.ts';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The order of `cases.csv`: town, kind (findings first), code, ID number, case id. */
export function compareCaseRows(a: CaseLine, b: CaseLine): number {
  return (
    byText(a.town, b.town) ||
    byText(a.kind, b.kind) ||
    byText(a.code, b.code) ||
    byText(a.idNumber, b.idNumber) ||
    byText(a.caseId, b.caseId)
  );
}

/**
 * `cases.csv` (issue 11): one CRLF line per case in {@link compareCaseRows} order, money in yuan
 * with exactly 2 decimals, ID numbers whole (case workers need them; contract 4).
 * @example casesCsv([]) // 'month,town,kind,code,id_number,category,status,outcome,overpaid,underpaid,wrongly_paid,recovered,opened_at,closed_at,closed_by\r\n'
 */
export function casesCsv(cases: readonly CaseLine[]): string {
  return (
    csvLine(CASES_CSV_COLUMNS) +
    [...cases]
      .sort(compareCaseRows)
      .map((c) =>
        csvLine([
          c.month,
          c.town,
          c.kind,
          c.code,
          c.idNumber,
          c.category,
          c.status,
          c.outcome ?? '',
          formatFen(c.money.overpaidFen),
          formatFen(c.money.underpaidFen),
          formatFen(c.money.wronglyPaidFen),
          formatFen(c.money.recoveredFen),
          c.openedAt,
          c.closedAt ?? '',
          c.closedBy ?? '',
        ]),
      )
      .join('')
  );
}
