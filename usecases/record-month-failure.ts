import { monthReports } from '#schemas/bucket-layout.ts';
import type { CaughtError } from '#schemas/caught-error.ts';
import { causeMessage } from './error-cause.ts';
import type { AuditTrail } from './ports.ts';

/** Records why a month run stopped (nothing is released on an incomplete check). */
export async function recordMonthFailure(
  input: { month: string; error: CaughtError },
  deps: { audit: AuditTrail; now: () => string },
): Promise<{ month: string; failed: true; reason: string }> {
  const reason = `${input.error.Error}: ${causeMessage(input.error.Cause)}`;
  await deps.audit.append({
    month: input.month,
    action: 'MONTH_RUN_FAILED',
    actor: 'payguard:month-run',
    at: deps.now(),
    subject: monthReports.key({ month: input.month }),
    details: { reason },
  });
  return { month: input.month, failed: true, reason };
}
