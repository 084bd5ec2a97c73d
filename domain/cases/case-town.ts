import { missingPaymentTown } from '#domain/month-check/missing-payment.ts';
import type { Finding } from '#schemas/finding.ts';

/**
 * The town office a finding's case is assigned to: the office that uploaded the row (its batch
 * folder, which contract 1 names after the department); for `MISSING_PAYMENT`, which has no row,
 * the registry row's town (issue 11, item 3).
 * @returns the town, or `undefined` when the finding names none (never for findings of 3.2/3.3).
 */
export function townOfFinding(finding: Pick<Finding, 'code' | 'batch' | 'detail'>): string | undefined {
  if (finding.code === 'MISSING_PAYMENT') return missingPaymentTown(finding.detail);
  return finding.batch === '' ? undefined : finding.batch;
}
