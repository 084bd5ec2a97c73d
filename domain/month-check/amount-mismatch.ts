import { formatFen } from '#schemas/money.ts';
import { bilingual, cite } from './finding-detail.ts';
import type { PayeeRow, RegistryRow } from './records.ts';

/**
 * `AMOUNT_MISMATCH` (contract 3.3): the roster `amount` differs from the registry's
 * `approved_amount` by any amount, more or less (integer fen, compared exactly).
 * @returns the detail, or `undefined` when the amounts are equal.
 * @example '核定金额 1180.00，名册金额 1200.00（reference/registry.csv 第 17 行） / registry approved 1180.00, roster 1200.00 (reference/registry.csv line 17)'
 */
export function amountMismatch(row: PayeeRow, entry: RegistryRow): string | undefined {
  if (row.amountFen === entry.approvedAmountFen) return undefined;
  const approved = formatFen(entry.approvedAmountFen);
  const paid = formatFen(row.amountFen);
  const source = cite(entry.source, entry.line);
  return bilingual(
    `核定金额 ${approved}，名册金额 ${paid}${source.zh}`,
    `registry approved ${approved}, roster ${paid}${source.en}`,
  );
}
