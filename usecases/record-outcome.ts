import type { CaughtError } from '#schemas/caught-error.ts';
import { causeMessage } from './error-cause.ts';
import type { AuditTrail, RunStateStore, UploadIdentity, ValidationOutcome } from './ports.ts';

/** Result of the ingest workflow for one upload. */
export interface IngestResult {
  readonly month: string;
  readonly bucket: string;
  readonly uploadId: string;
  readonly status: 'ACCEPTED' | 'REJECTED' | 'FAILED' | 'SUPERSEDED';
  /** Whether the upload is (still) the batch's current file. */
  readonly current: boolean;
}

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

/** Records that an upload could not be checked (e.g. the towns reference is missing), and audits it. */
export async function recordFailure(
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
