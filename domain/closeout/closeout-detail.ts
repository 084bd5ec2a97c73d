import { maskAccount } from '#domain/month-check/finding-detail.ts';
import { cleanValue } from '#schemas/clean-value.ts';
import { formatFen } from '#schemas/money.ts';
import { quoteValue } from '#schemas/quote-value.ts';
import { lineLocation, type ReturnLine } from './return-line.ts';
import type { ReturnLineReading } from './return-line-reading.ts';

/**
 * The `detail` texts of `closeout.csv`: short English, led by the return line's location
 * (`bank-returns/2026-10/a.csv row 12: …`). Text the bank wrote (reason, status, amount, value date)
 * is quoted and shortened with `quoteValue`. Account numbers are never written whole (as in every
 * finding detail of the project): each shows its last 4 digits; when those are the same, the
 * lengths too, and that the numbers differ before the last 4 digits.
 */
export const closeoutDetail = {
  paid(line: Pick<ReturnLine, 'source' | 'row' | 'valueDate'>): string {
    const valueDate = cleanValue(line.valueDate);
    if (valueDate === '') return `${lineLocation(line)}: paid`;
    const shown = /^\d{4}-\d{2}-\d{2}$/.test(valueDate) ? valueDate : quoteValue(valueDate);
    return `${lineLocation(line)}: paid, value date ${shown}`;
  },
  failed(line: ReturnLine, reason: string): string {
    return reason === ''
      ? `${lineLocation(line)}: payment failed, no bank reason given`
      : `${lineLocation(line)}: bank reason ${quoteValue(reason)}`;
  },
  amountMismatch(line: ReturnLine, paidFen: number, releasedFen: number): string {
    return `${lineLocation(line)}: paid ${formatFen(paidFen)}, released ${formatFen(releasedFen)}`;
  },
  accountMismatch(line: ReturnLine, paidAccount: string, releasedAccount: string): string {
    const paid = account(paidAccount);
    const released = account(releasedAccount);
    if (paid !== released)
      return `${lineLocation(line)}: paid to account ${paid}, released to account ${released}`;
    const size = (a: string) => `${Array.from(a).length} characters`;
    return `${lineLocation(line)}: paid to account ${paid} (${size(paidAccount)}), released to account ${released} (${size(releasedAccount)}), different before the last 4 digits`;
  },
  notReturned(): string {
    return 'no bank return line for this payment';
  },
  unexpected(line: ReturnLine, reading: ReturnLineReading): string {
    const status = reading.kind === 'invalid' ? '' : ` (bank status ${reading.kind})`;
    return `${lineLocation(line)}: payment_ref is not in this month's release${status}`;
  },
  duplicate(line: ReturnLine, first: Pick<ReturnLine, 'source' | 'row'>): string {
    return `${lineLocation(line)}: payment_ref already returned at ${lineLocation(first)}`;
  },
  invalid(line: ReturnLine, problems: readonly string[]): string {
    return `${lineLocation(line)}: ${problems.join('; ')}`;
  },
} as const;

/** An account as a detail shows it: `****4567`, or `(empty)`. */
function account(value: string): string {
  return value === '' ? '(empty)' : maskAccount(value);
}
