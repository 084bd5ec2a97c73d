import type { CheckContext } from './check-context.ts';
import type { Person } from './person.ts';
import type { SocialInsuranceRecord } from './records.ts';

/**
 * The social-insurance record that best proves an income for `EMPLOYED` or `PENSION_INCOME`:
 * among the person's records of the payment month or the month before whose `amountOf` is at
 * least `threshold`, one of the payment month if any, then the highest amount, then the first
 * in input order. Records with an empty amount prove nothing.
 * @returns the record and its amount, or `undefined` when none reaches the threshold.
 */
export function incomeEvidence(
  person: Person,
  ctx: CheckContext,
  amountOf: (record: SocialInsuranceRecord) => number | undefined,
  threshold: number,
): { record: SocialInsuranceRecord; amountFen: number } | undefined {
  const records = person.records('social-insurance');
  if (records === undefined) return undefined;
  let best: { record: SocialInsuranceRecord; amountFen: number } | undefined;
  for (const record of records) {
    const amountFen = amountOf(record);
    if (amountFen === undefined || amountFen < threshold) continue;
    if (record.month !== ctx.month && record.month !== ctx.previousMonth) continue;
    if (
      best === undefined ||
      (record.month === ctx.month && best.record.month !== ctx.month) ||
      (record.month === best.record.month && amountFen > best.amountFen)
    ) {
      best = { record, amountFen };
    }
  }
  return best;
}
