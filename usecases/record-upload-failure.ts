import type { CaughtError } from '#schemas/caught-error.ts';
import type { IngestResult } from '#schemas/ingest-task.ts';
import { causeMessage } from './error-cause.ts';
import type { AuditTrail, RunStateStore, UploadIdentity } from './ports.ts';

/** Records that an upload could not be checked (e.g. the towns reference is missing), and audits it. */
export async function recordUploadFailure(
  upload: UploadIdentity,
  error: CaughtError,
  deps: { state: RunStateStore; audit: AuditTrail; now: () => string },
): Promise<IngestResult> {
  const at = deps.now();
  const reason = `${error.Error}: ${causeMessage(error.Cause)}`;
  const current = await deps.state.recordFailure(upload, reason, at);
  await deps.audit.append({
    month: upload.month,
    action: 'FILE_FAILED',
    actor: 'payguard:ingest',
    at,
    subject: upload.key,
    details: { uploadId: upload.uploadId, reason, current },
  });
  return { month: upload.month, bucket: upload.bucket, uploadId: upload.uploadId, status: 'FAILED', current };
}
