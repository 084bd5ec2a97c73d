import { closeoutDetail } from './closeout-detail.ts';
import type { CloseoutRow } from './closeout-row.ts';
import type { ReturnLine } from './return-line.ts';
import type { ReturnLineReading } from './return-line-reading.ts';

/** What a verdict compares a return line with: the released payment's ref, amount and cleaned account. */
export interface ReleasedTerms {
  readonly paymentRef: string;
  readonly amountFen: number;
  /** The released account number, cleaned (contract section 2). */
  readonly accountNumber: string;
}

/**
 * The verdict row(s) of one released payment from its first return line (contract 3.4): the
 * line's code — `PAID`, `PAYMENT_FAILED`, `INVALID_RETURN`, or the amount and/or account
 * mismatch (both rows, in that order, when both differ). Accounts compare as trimmed strings.
 */
export function verdictRows(
  payment: ReleasedTerms,
  line: ReturnLine,
  reading: ReturnLineReading,
): CloseoutRow[] {
  const base = { paymentRef: payment.paymentRef, releasedAmountFen: payment.amountFen };
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
      if (reading.accountNumber !== payment.accountNumber) {
        rows.push({
          ...paid,
          code: 'PAID_ACCOUNT_MISMATCH',
          detail: closeoutDetail.accountMismatch(line, reading.accountNumber, payment.accountNumber),
        });
      }
      return rows.length > 0 ? rows : [{ ...paid, code: 'PAID', detail: closeoutDetail.paid(line) }];
    }
  }
}

/** The `NOT_RETURNED` row of a released payment the bank returned no line for. */
export function notReturnedRow(payment: Pick<ReleasedTerms, 'paymentRef' | 'amountFen'>): CloseoutRow {
  return {
    paymentRef: payment.paymentRef,
    releasedAmountFen: payment.amountFen,
    code: 'NOT_RETURNED',
    detail: closeoutDetail.notReturned(),
  };
}
