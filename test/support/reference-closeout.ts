/**
 * The close-out rules of contract 3.4 as payguard first wrote them, whole arrays in memory: the
 * straightforward reference the streaming close-out (`CloseoutLedger`, `closeOutMonth`) is compared
 * with. Kept verbatim apart from its name; do not "fix" it to match the streaming one.
 */

import { closeoutDetail } from '#domain/closeout/closeout-detail.ts';
import type { CloseoutRow } from '#domain/closeout/closeout-row.ts';
import { compareReturnLines, type ReturnLine } from '#domain/closeout/return-line.ts';
import { type ReturnLineReading, readReturnLine } from '#domain/closeout/return-line-reading.ts';
import { cleanValue } from '#schemas/clean-value.ts';
import type { ReleasedPayment } from '#schemas/closeout.ts';
import { CLOSEOUT_CODES, type CloseoutCode } from '#schemas/closeout.ts';

/** A released payment the bank returned as `FAILED`, to be paid again; `reason` is the bank's. */
export interface ReissueEntry extends ReleasedPayment {
  readonly reason: string;
}

/** Money and counts of a close-out, in integer fen. */
export interface CloseoutTotals {
  readonly releasedPayments: number;
  /** Sum of the released amounts. */
  readonly releasedAmountFen: number;
  /**
   * Sum of the amounts the bank reports paid for released payments: the judged (first) line of each
   * released payment that is a readable `SUCCESS` (`PAID` or a mismatch), counted once per payment.
   * Unexpected and duplicate lines are not included: they are reported row by row.
   */
  readonly paidAmountFen: number;
  /** Sum of the released amounts of the `PAYMENT_FAILED` payments: the amount to re-issue. */
  readonly failedAmountFen: number;
  readonly notReturned: number;
}

/** What {@link referenceCloseout} finds. */
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

interface Judged {
  readonly line: ReturnLine;
  readonly reading: ReturnLineReading;
}

/**
 * Reconciles the month's release with the bank's return lines (contract 3.4). Pure.
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
export function referenceCloseout(
  released: readonly ReleasedPayment[],
  lines: readonly ReturnLine[],
): CloseoutReconciliation {
  const releasedIndex = new Map<string, number>();
  released.forEach((payment, i) => {
    if (releasedIndex.has(payment.paymentRef)) {
      throw new RangeError(`the release lists payment_ref ${payment.paymentRef} twice`);
    }
    releasedIndex.set(payment.paymentRef, i);
  });

  const first = new Map<string, Judged>();
  const duplicates: CloseoutRow[][] = released.map(() => []);
  const unreleased: CloseoutRow[] = [];
  for (const line of [...lines].sort(compareReturnLines)) {
    const reading = readReturnLine(line);
    const ref = reading.paymentRef;
    const at = { source: line.source, row: line.row };
    const index = releasedIndex.get(ref);
    const releasedAmountFen =
      index === undefined ? undefined : (released[index] as ReleasedPayment).amountFen;
    const paidAmountFen = reading.kind === 'SUCCESS' ? reading.amountFen : undefined;
    if (ref === '' && reading.kind === 'invalid') {
      unreleased.push({
        paymentRef: ref,
        code: 'INVALID_RETURN',
        detail: closeoutDetail.invalid(line, reading.problems),
        line: at,
      });
      continue;
    }
    const earlier = first.get(ref);
    if (earlier !== undefined) {
      const row: CloseoutRow = {
        paymentRef: ref,
        code: 'DUPLICATE_RETURN',
        releasedAmountFen,
        paidAmountFen,
        detail: closeoutDetail.duplicate(line, earlier.line),
        line: at,
      };
      if (index === undefined) unreleased.push(row);
      else (duplicates[index] as CloseoutRow[]).push(row);
      continue;
    }
    first.set(ref, { line, reading });
    if (index !== undefined) continue;
    if (reading.kind === 'invalid') {
      unreleased.push({
        paymentRef: ref,
        code: 'INVALID_RETURN',
        detail: closeoutDetail.invalid(line, reading.problems),
        line: at,
      });
    }
    unreleased.push({
      paymentRef: ref,
      code: 'UNEXPECTED_RETURN',
      paidAmountFen,
      detail: closeoutDetail.unexpected(line, reading),
      line: at,
    });
  }

  const rows: CloseoutRow[] = [];
  const reissue: ReissueEntry[] = [];
  let paidAmountFen = 0;
  let failedAmountFen = 0;
  released.forEach((payment, i) => {
    const judged = first.get(payment.paymentRef);
    rows.push(...verdictRows(payment, judged));
    if (judged?.reading.kind === 'SUCCESS') paidAmountFen += judged.reading.amountFen;
    if (judged?.reading.kind === 'FAILED') {
      failedAmountFen += payment.amountFen;
      reissue.push({ ...payment, reason: judged.reading.reason });
    }
    rows.push(...(duplicates[i] as CloseoutRow[]));
  });
  for (const row of unreleased) rows.push(row);

  const countsByCode = Object.fromEntries(CLOSEOUT_CODES.map((c) => [c, 0])) as Record<CloseoutCode, number>;
  for (const row of rows) countsByCode[row.code]++;
  return {
    rows,
    reissue,
    countsByCode,
    closed: rows.every((r) => r.code === 'PAID' || r.code === 'PAYMENT_FAILED'),
    totals: {
      releasedPayments: released.length,
      releasedAmountFen: released.reduce((sum, p) => sum + p.amountFen, 0),
      paidAmountFen,
      failedAmountFen,
      notReturned: countsByCode.NOT_RETURNED,
    },
  };
}

/** The verdict row(s) of one released payment, from its first return line (if any). */
function verdictRows(payment: ReleasedPayment, judged: Judged | undefined): CloseoutRow[] {
  const base = { paymentRef: payment.paymentRef, releasedAmountFen: payment.amountFen };
  if (judged === undefined) return [{ ...base, code: 'NOT_RETURNED', detail: closeoutDetail.notReturned() }];
  const { line, reading } = judged;
  const at = { source: line.source, row: line.row };
  switch (reading.kind) {
    case 'invalid':
      return [
        { ...base, code: 'INVALID_RETURN', detail: closeoutDetail.invalid(line, reading.problems), line: at },
      ];
    case 'FAILED':
      return [
        { ...base, code: 'PAYMENT_FAILED', detail: closeoutDetail.failed(line, reading.reason), line: at },
      ];
    case 'SUCCESS': {
      const paid = { ...base, paidAmountFen: reading.amountFen, line: at };
      const rows: CloseoutRow[] = [];
      if (reading.amountFen !== payment.amountFen) {
        rows.push({
          ...paid,
          code: 'PAID_AMOUNT_MISMATCH',
          detail: closeoutDetail.amountMismatch(line, reading.amountFen, payment.amountFen),
        });
      }
      const releasedAccount = cleanValue(payment.accountNumber);
      if (reading.accountNumber !== releasedAccount) {
        rows.push({
          ...paid,
          code: 'PAID_ACCOUNT_MISMATCH',
          detail: closeoutDetail.accountMismatch(line, reading.accountNumber, releasedAccount),
        });
      }
      return rows.length > 0 ? rows : [{ ...paid, code: 'PAID', detail: closeoutDetail.paid(line) }];
    }
  }
}
