import type { CaughtError } from '#schemas/caught-error.ts';
import { causeMessage } from './error-cause.ts';
import type { AuditTrail } from './ports.ts';

/** Audits a dataset file that cannot be used (missing column, unreadable). */
export async function recordDatasetFailure(
  input: { key: string; time: string; error: CaughtError },
  deps: { audit: AuditTrail; now: () => string },
): Promise<{ key: string; reason: string }> {
  const reason = `${input.error.Error}: ${causeMessage(input.error.Cause)}`;
  await deps.audit.append({
    month: input.time.slice(0, 7),
    action: 'DATASET_REJECTED',
    actor: 'payguard:dataset-ingest',
    at: deps.now(),
    subject: input.key,
    details: { reason },
  });
  return { key: input.key, reason };
}
