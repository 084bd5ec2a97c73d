import type { IngestResult } from '#schemas/ingest-task.ts';
import type { AuditTrail, RunStateStore, UploadIdentity, ValidationOutcome } from './ports.ts';
import { noticeRejection, type RejectionNoticeDeps } from './rejection-notice.ts';

/**
 * Points the batch at the validated upload unless a newer upload took over meanwhile, and audits
 * it; a rejected upload that is still its batch's newest is e-mailed to its town office at once.
 */
export async function recordOutcome(
  upload: UploadIdentity,
  outcome: ValidationOutcome,
  deps: { state: RunStateStore; audit: AuditTrail; now: () => string } & RejectionNoticeDeps,
): Promise<IngestResult> {
  const at = deps.now();
  const current = await deps.state.recordOutcome(upload, outcome, at);
  await deps.audit.append({
    month: upload.month,
    action: outcome.status === 'ACCEPTED' ? 'FILE_ACCEPTED' : 'FILE_REJECTED',
    actor: 'payguard:ingest',
    at,
    contentSha256: outcome.sourceSha256,
    subject: upload.key,
    details: {
      uploadId: upload.uploadId,
      current,
      validRows: outcome.validRows,
      invalidRows: outcome.invalidRows,
      findings: outcome.findings,
      fileFinding: outcome.fileFinding,
      report: outcome.reportKey,
    },
  });
  if (current && outcome.status === 'REJECTED') await noticeRejection(upload, outcome, deps);
  return {
    month: upload.month,
    bucket: upload.bucket,
    uploadId: upload.uploadId,
    status: current ? outcome.status : 'SUPERSEDED',
    current,
  };
}
