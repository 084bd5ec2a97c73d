import { monthReports } from '#schemas/bucket-layout.ts';
import type { CaughtError } from '#schemas/caught-error.ts';
import { causeMessage } from './error-cause.ts';
import { firstFailedChild } from './map-run-results.ts';
import type { AuditTrail, ObjectStore } from './ports.ts';

/**
 * The error a distributed Map fails with once a child execution failed (its tolerated threshold
 * is 0): it names no cause of its own, the map run's FAILED results do.
 */
export const EXCEEDED_FAILURE_THRESHOLD = 'States.ExceedToleratedFailureThreshold';

/**
 * Records why a month run stopped (nothing is released on an incomplete check). When an item of
 * one of the run's distributed Maps failed (an account partition of the shared-account pass, or a
 * partition's check), the reason is that item's own error and cause (e.g. a ReferenceDataError),
 * read from the run's map-run results, not the Map's threshold error.
 */
export async function recordMonthFailure(
  input: { month: string; runId?: string | undefined; error: CaughtError },
  deps: { audit: AuditTrail; store: ObjectStore; now: () => string },
): Promise<{ month: string; failed: true; reason: string }> {
  const failed =
    input.error.Error === EXCEEDED_FAILURE_THRESHOLD && input.runId !== undefined
      ? await firstFailedChild(deps.store, { month: input.month, runId: input.runId })
      : undefined;
  const failure = failed?.result;
  const error = failure?.Error !== undefined ? { Error: failure.Error, Cause: failure.Cause } : input.error;
  const reason = `${error.Error}: ${causeMessage(error.Cause)}`;
  const partition = failure ? (JSON.parse(failure.Input) as { partition?: unknown }).partition : undefined;
  const item = failed?.pass === 'shared-accounts' ? 'accountPartition' : 'partition';
  await deps.audit.append({
    month: input.month,
    action: 'MONTH_RUN_FAILED',
    actor: 'payguard:month-run',
    at: deps.now(),
    subject: monthReports.key({ month: input.month }),
    details: { reason, ...(typeof partition === 'number' ? { [item]: partition } : {}) },
  });
  return { month: input.month, failed: true, reason };
}
