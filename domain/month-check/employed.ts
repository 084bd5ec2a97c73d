import { formatFen } from '#schemas/money.ts';
import { isMeansTested } from './category-groups.ts';
import type { CheckContext } from './check-context.ts';
import { bilingual, cite } from './finding-detail.ts';
import { incomeEvidence } from './income-evidence.ts';
import type { Person } from './person.ts';
import type { PayeeRow } from './records.ts';

/**
 * `EMPLOYED` (contract 3.3, REVIEW): a means-tested category and a social-insurance record of
 * the month or the month before with `contribution_base` >= `employedContributionBase`
 * (inclusive: exactly the threshold counts). The detail cites the record (see `incomeEvidence`
 * for which one when several qualify).
 * @returns the detail, or `undefined` when the category is not means-tested or no record qualifies.
 * @example '2026-09 参保单位 某某厂，缴费基数 3000.00，不低于 2300.00（partners/social-insurance/2026-09.csv） / 2026-09 employer 某某厂, contribution base 3000.00 >= 2300.00 (partners/social-insurance/2026-09.csv)'
 */
export function employed(row: PayeeRow, person: Person, ctx: CheckContext): string | undefined {
  if (person.records('social-insurance') === undefined || !isMeansTested(row.category)) return undefined;
  const evidence = incomeEvidence(
    person,
    ctx,
    (record) => record.contributionBaseFen,
    ctx.employedContributionBaseFen,
  );
  if (evidence === undefined) return undefined;
  const { record } = evidence;
  const base = formatFen(evidence.amountFen);
  const threshold = formatFen(ctx.employedContributionBaseFen);
  const source = cite(record.source);
  return bilingual(
    `${record.month}${record.employer ? ` 参保单位 ${record.employer}，` : ' '}缴费基数 ${base}，不低于 ${threshold}${source.zh}`,
    `${record.month}${record.employer ? ` employer ${record.employer},` : ''} contribution base ${base} >= ${threshold}${source.en}`,
  );
}
