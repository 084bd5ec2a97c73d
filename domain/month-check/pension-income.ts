import { formatFen } from '#schemas/money.ts';
import { isMeansTested } from './category-groups.ts';
import type { CheckContext } from './check-context.ts';
import { bilingual, cite } from './finding-detail.ts';
import { incomeEvidence } from './income-evidence.ts';
import type { Person } from './person.ts';
import type { PayeeRow } from './records.ts';

/**
 * `PENSION_INCOME` (contract 3.3, REVIEW): a means-tested category and a social-insurance
 * record of the month or the month before with `pension_amount` >= `pensionIncome` (inclusive).
 * The detail cites the record (see `incomeEvidence` for which one when several qualify).
 * @returns the detail, or `undefined` when the category is not means-tested or no record qualifies.
 * @example '2026-10 养老金 1800.00，不低于 1500.00（partners/social-insurance/2026-10.csv） / 2026-10 pension 1800.00 >= 1500.00 (partners/social-insurance/2026-10.csv)'
 */
export function pensionIncome(row: PayeeRow, person: Person, ctx: CheckContext): string | undefined {
  if (person.records('social-insurance') === undefined || !isMeansTested(row.category)) return undefined;
  const evidence = incomeEvidence(person, ctx, (record) => record.pensionAmountFen, ctx.pensionIncomeFen);
  if (evidence === undefined) return undefined;
  const { record } = evidence;
  const pension = formatFen(evidence.amountFen);
  const threshold = formatFen(ctx.pensionIncomeFen);
  const source = cite(record.source);
  return bilingual(
    `${record.month} 养老金 ${pension}，不低于 ${threshold}${source.zh}`,
    `${record.month} pension ${pension} >= ${threshold}${source.en}`,
  );
}
