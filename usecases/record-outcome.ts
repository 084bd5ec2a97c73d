import type { IngestResult } from '#schemas/ingest-task.ts';
import type { AuditTrail, RunStateStore, UploadIdentity, ValidationOutcome } from './ports.ts';

/** Points the batch at the validated upload unless a newer upload took over meanwhile, and audits it. */
export async function recordOutcome(
  upload: UploadIdentity,
  outcome: ValidationOutcome,
  deps: { state: RunStateStore; audit: AuditTrail; now: () => string },
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
  return {
    month: upload.month,
    bucket: upload.bucket,
    uploadId: upload.uploadId,
    status: current ? outcome.status : 'SUPERSEDED',
    current,
  };
}
