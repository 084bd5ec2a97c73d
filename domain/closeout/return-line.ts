/**
 * One non-blank line of a bank return file (contract 2.3), as the bank wrote it: the values are
 * the raw field texts (untrimmed; `''` for an absent optional column or a missing field).
 *
 * @example
 * { source: 'bank-returns/2026-10/a.csv', row: 12, paymentRef: '2026-10-shiqi-000012',
 *   accountNumber: '6222020200112233445', amount: '520.00', status: 'SUCCESS', reason: '',
 *   valueDate: '2026-10-25' }
 */
export interface ReturnLine {
  /** Key of the file the line is in, e.g. `bank-returns/2026-10/a.csv`. */
  readonly source: string;
  /** 1-based number of the record after the header (contract section 2). */
  readonly row: number;
  readonly paymentRef: string;
  readonly accountNumber: string;
  readonly amount: string;
  readonly status: string;
  readonly reason: string;
  readonly valueDate: string;
}

/** Where a return line is, as the officer reads it: `bank-returns/2026-10/a.csv row 12`. */
export function lineLocation(line: Pick<ReturnLine, 'source' | 'row'>): string {
  return `${line.source} row ${line.row}`;
}

/**
 * Order of return lines for the close-out (contract 3.4): by source key (the file name, all files
 * being in one folder), then row number. Keys compare by UTF-16 code units, as the listing is sorted.
 */
export function compareReturnLines(a: ReturnLine, b: ReturnLine): number {
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  return a.row - b.row;
}
