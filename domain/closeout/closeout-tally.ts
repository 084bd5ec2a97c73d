import { CLOSEOUT_CODES, type CloseoutCode } from '#schemas/closeout.ts';
import type { SettledPayment } from './closeout-ledger.ts';
import type { CloseoutRow } from './closeout-row.ts';

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

/** Counts per code and money of a close-out, added up row by row as `closeout.csv` is written. */
export class CloseoutTally {
  /** Number of rows per code; every code is present, zeros included. */
  readonly countsByCode = Object.fromEntries(CLOSEOUT_CODES.map((c) => [c, 0])) as Record<
    CloseoutCode,
    number
  >;
  #releasedPayments = 0;
  #releasedAmountFen = 0;
  #paidAmountFen = 0;
  #failedAmountFen = 0;

  /** Adds a released payment and what the close-out settled for it. */
  addPayment(settled: SettledPayment): void {
    this.#releasedPayments++;
    this.#releasedAmountFen += settled.releasedAmountFen;
    if (settled.paidAmountFen !== undefined) this.#paidAmountFen += settled.paidAmountFen;
    if (settled.reissueReason !== undefined) this.#failedAmountFen += settled.releasedAmountFen;
    this.addRows(settled.rows);
  }

  /** Counts rows (those of never-released refs are added this way alone). */
  addRows(rows: readonly CloseoutRow[]): void {
    for (const row of rows) this.countsByCode[row.code]++;
  }

  /**
   * Every row so far is `PAID` or `PAYMENT_FAILED`: every released payment was settled and nothing
   * unexpected, duplicated or invalid came back. A release without payments or lines is closed.
   */
  get closed(): boolean {
    return CLOSEOUT_CODES.every((c) => c === 'PAID' || c === 'PAYMENT_FAILED' || this.countsByCode[c] === 0);
  }

  get totals(): CloseoutTotals {
    return {
      releasedPayments: this.#releasedPayments,
      releasedAmountFen: this.#releasedAmountFen,
      paidAmountFen: this.#paidAmountFen,
      failedAmountFen: this.#failedAmountFen,
      notReturned: this.countsByCode.NOT_RETURNED,
    };
  }
}
