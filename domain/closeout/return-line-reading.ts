import { cleanValue } from '#schemas/clean-value.ts';
import { parseBankAmount } from '#schemas/money.ts';
import { quoteValue } from '#schemas/quote-value.ts';
import type { ReturnLine } from './return-line.ts';

/**
 * What a bank return line says, its values cleaned (contract section 2):
 * - `SUCCESS`: the bank paid `amountFen` to `accountNumber`;
 * - `FAILED`: the bank did not pay, for `reason` (may be empty);
 * - `invalid`: the line cannot be judged (`INVALID_RETURN`), for every reason in `problems`.
 */
export type ReturnLineReading =
  | {
      readonly kind: 'SUCCESS';
      readonly paymentRef: string;
      readonly amountFen: number;
      readonly accountNumber: string;
    }
  | {
      readonly kind: 'FAILED';
      readonly paymentRef: string;
      readonly amountFen: number;
      readonly reason: string;
    }
  | { readonly kind: 'invalid'; readonly paymentRef: string; readonly problems: readonly string[] };

/**
 * Reads one bank return line (contract 2.3, 3.4). The line is invalid when its `payment_ref` is
 * empty, its `status` is neither `SUCCESS` nor `FAILED` (case-insensitive, after trimming), or its
 * `amount` is not a plain decimal with at most 2 decimals (see `parseBankAmount`; an empty
 * amount is invalid for a `FAILED` line too). Every problem found is listed, not just the first.
 * `account_number`, `reason` and `value_date` never make a line invalid.
 * @example readReturnLine({ ...line, status: ' failed ', amount: '520', reason: '账户已销户' })
 * // { kind: 'FAILED', paymentRef: '2026-10-shiqi-000012', amountFen: 52000, reason: '账户已销户' }
 */
export function readReturnLine(line: ReturnLine): ReturnLineReading {
  const paymentRef = cleanValue(line.paymentRef);
  const status = cleanValue(line.status).toUpperCase();
  const amount = parseBankAmount(cleanValue(line.amount));
  const problems: string[] = [];
  if (paymentRef === '') problems.push('payment_ref is empty');
  if (status !== 'SUCCESS' && status !== 'FAILED') {
    const raw = cleanValue(line.status);
    problems.push(raw === '' ? 'status is empty' : `status ${quoteValue(raw)} is neither SUCCESS nor FAILED`);
  }
  if (!amount.ok) problems.push(amount.reason);
  if (problems.length > 0 || !amount.ok) return { kind: 'invalid', paymentRef, problems };
  return status === 'SUCCESS'
    ? { kind: 'SUCCESS', paymentRef, amountFen: amount.fen, accountNumber: cleanValue(line.accountNumber) }
    : { kind: 'FAILED', paymentRef, amountFen: amount.fen, reason: cleanValue(line.reason) };
}
