import type { CloseoutCode, ReleasedPayment } from '#schemas/closeout.ts';
import { CloseoutLedger, type ReissueEntry } from './closeout-ledger.ts';
import type { CloseoutRow } from './closeout-row.ts';
import { CloseoutTally, type CloseoutTotals } from './closeout-tally.ts';
import { compareReturnLines, type ReturnLine } from './return-line.ts';

/** The close-out of a month against the bank's return lines (contract 3.4). */
export interface CloseoutReconciliation {
  /** The rows of `closeout.csv`, in output order (see {@link reconcileCloseout}). */
  readonly rows: readonly CloseoutRow[];
  /** The `PAYMENT_FAILED` payments, in release order. */
  readonly reissue: readonly ReissueEntry[];
  /** Number of rows per code; every code is present, zeros included. */
  readonly countsByCode: Readonly<Record<CloseoutCode, number>>;
  /**
   * Every released payment is `PAID` or `PAYMENT_FAILED` and no `UNEXPECTED_RETURN`,
   * `DUPLICATE_RETURN` or `INVALID_RETURN` row exists: every row is `PAID` or `PAYMENT_FAILED`.
   * A release without payments and without return lines is closed.
   */
  readonly closed: boolean;
  readonly totals: CloseoutTotals;
}

/**
 * Reconciles the month's release with the bank's return lines (contract 3.4), all in memory: a
 * {@link CloseoutLedger} (which the close-out streams its files through) run over arrays. Pure.
 *
 * Rules, with the readings this project decided where the contract leaves room:
 * - Return lines are taken in order of source key (the file name: all files are in one folder),
 *   then row number, whatever order they are passed in.
 * - The FIRST line of a `payment_ref` is the one judged; every later line of that `payment_ref`
 *   gets `DUPLICATE_RETURN` only, whatever it says.
 * - A line is invalid when its `payment_ref` is empty, its status is neither `SUCCESS` nor `FAILED`
 *   (case-insensitive, after trimming), or its amount is not a plain decimal with at most 2 decimals
 *   (`0.00` is readable; no upper limit; an empty amount is invalid, on a `FAILED` line too). An
 *   invalid line gets `INVALID_RETURN` only, plus `UNEXPECTED_RETURN` (a second row) when its
 *   `payment_ref` was never released. It still counts as its `payment_ref`'s first line: later
 *   lines are `DUPLICATE_RETURN`, and a released payment whose first line is invalid has the verdict
 *   `INVALID_RETURN`, not `NOT_RETURNED`.
 * - A line with an empty `payment_ref` has no `payment_ref` to be unexpected or duplicated: each such
 *   line gets `INVALID_RETURN` alone.
 * - A readable `SUCCESS` line of a released payment is `PAID` when amount and account (compared as
 *   trimmed strings) both equal the release; otherwise `PAID_AMOUNT_MISMATCH` and/or
 *   `PAID_ACCOUNT_MISMATCH` — both rows, in that order, when both differ. A readable `FAILED` line is
 *   `PAYMENT_FAILED` (whatever its amount or account) and the payment goes to the re-issue list with
 *   the bank's reason. A released payment without a line is `NOT_RETURNED`.
 * - Amounts: see {@link CloseoutRow}.
 *
 * Row order: released payments in release order — each payment's verdict row(s), then the
 * `DUPLICATE_RETURN` rows of its later lines in line order — then the lines of never-released
 * `payment_ref`s (and of empty ones) in line order, an invalid one's `INVALID_RETURN` row before its
 * `UNEXPECTED_RETURN` row.
 *
 * @param released the release, in release order.
 * @param lines the non-blank lines of the bank return files that could be read (see `returnLineOf`).
 * @throws RangeError when the release lists a `payment_ref` twice (a broken release).
 */
export function reconcileCloseout(
  released: readonly ReleasedPayment[],
  lines: readonly ReturnLine[],
): CloseoutReconciliation {
  const ledger = new CloseoutLedger();
  for (const payment of released) ledger.addPayment(payment);
  for (const line of [...lines].sort(compareReturnLines)) ledger.judge(line);
  const tally = new CloseoutTally();
  const rows: CloseoutRow[] = [];
  const reissue: ReissueEntry[] = [];
  released.forEach((payment, i) => {
    const settled = ledger.settle(i, payment.paymentRef);
    tally.addPayment(settled);
    for (const row of settled.rows) rows.push(row);
    if (settled.reissueReason !== undefined) reissue.push({ ...payment, reason: settled.reissueReason });
  });
  tally.addRows(ledger.unreleasedRows());
  for (const row of ledger.unreleasedRows()) rows.push(row);
  return { rows, reissue, countsByCode: tally.countsByCode, closed: tally.closed, totals: tally.totals };
}
