import type { CloseoutCode } from '#schemas/closeout.ts';

/**
 * One row of `closeout.csv` (contract 3.4, section 4), amounts in integer fen.
 *
 * - `releasedAmountFen`: the released amount where the `payment_ref` was released, else absent.
 * - `paidAmountFen`: absent where nothing was paid (`PAYMENT_FAILED`, `NOT_RETURNED`,
 *   `INVALID_RETURN`); the line's amount for `PAID` and the mismatches; for `UNEXPECTED_RETURN` and
 *   `DUPLICATE_RETURN` the line's amount when the line is a readable `SUCCESS`, else absent.
 * - `line`: the return line the row is about; absent only for `NOT_RETURNED`.
 *
 * @example
 * { paymentRef: '2026-10-shiqi-000012', code: 'PAID_AMOUNT_MISMATCH', releasedAmountFen: 52000,
 *   paidAmountFen: 50000, detail: 'bank-returns/2026-10/a.csv row 3: paid 500.00, released 520.00',
 *   line: { source: 'bank-returns/2026-10/a.csv', row: 3 } }
 */
export interface CloseoutRow {
  readonly paymentRef: string;
  readonly code: CloseoutCode;
  readonly releasedAmountFen?: number;
  readonly paidAmountFen?: number;
  /** Short English text naming the source line and the values that matter. */
  readonly detail: string;
  readonly line?: { readonly source: string; readonly row: number };
}
