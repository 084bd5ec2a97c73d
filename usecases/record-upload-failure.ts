import { maskIdsInText } from '#domain/id-number.ts';
import type { CaughtError } from '#schemas/caught-error.ts';
import type { Contacts } from '#schemas/contacts.ts';
import type { IngestResult } from '#schemas/ingest-task.ts';
import { causeMessage } from './error-cause.ts';
import type { AuditTrail, Notifier, RunStateStore, UploadIdentity } from './ports.ts';

/**
 * What a town officer and the bureau read for the errors a check may end with. Step Functions
 * reports a Lambda that ran out of memory or crashed as `Runtime.ExitError` (older integrations:
 * `Lambda.Unknown`), a function timeout as `Sandbox.Timedout`, a Task's `TimeoutSeconds` as
 * `States.Timeout`.
 */
const EXPLANATIONS: Readonly<Record<string, string>> = {
  'States.Timeout': '检查超时 / the check took longer than allowed',
  'Sandbox.Timedout': '检查超时 / the check took longer than allowed',
  'Runtime.ExitError':
    '检查程序异常退出（可能内存不足）/ the check stopped unexpectedly (out of memory or a crash)',
  'Lambda.Unknown':
    '检查程序异常退出（可能内存不足）/ the check stopped unexpectedly (out of memory or a crash)',
  UploadVanishedError:
    '文件在检查前已被删除或替换 / the file was deleted or replaced before it could be checked',
  ReferenceDataError: '参考数据缺失或不可用 / reference data is missing or unusable',
};

/** The reason recorded and sent: what it means, then the error itself. */
export function failureReason(error: CaughtError): string {
  const meaning = EXPLANATIONS[error.Error] ?? '检查未能完成 / the check could not be completed';
  return `${meaning} — ${error.Error}: ${causeMessage(error.Cause)}`;
}

/**
 * Records that an upload could not be checked (the towns reference missing, the file gone, the
 * check timing out or running out of memory …), audits it, and tells the town office and the
 * bureau, one message each: the month's run and release leave the roster out, and it must not
 * pass unnoticed. Nobody is told about an upload a newer one of the batch already replaced.
 */
export async function recordUploadFailure(
  upload: UploadIdentity,
  error: CaughtError,
  deps: {
    state: RunStateStore;
    audit: AuditTrail;
    notifier: Notifier;
    contacts: Pick<Contacts, 'towns' | 'bureau'>;
    now: () => string;
  },
): Promise<IngestResult> {
  const at = deps.now();
  const reason = failureReason(error);
  const current = await deps.state.recordFailure(upload, reason, at);
  const town = deps.contacts.towns[upload.batch];
  const recipients = current ? [...new Set([...(town ? [town] : []), ...deps.contacts.bureau])] : [];
  const text = [
    `${upload.month} 月 ${upload.batch} 的花名册 ${upload.fileName} 未能完成检查，在重新上传并检查通过之前，本月发放不包含该花名册。`,
    `The ${upload.month} roster ${upload.fileName} of ${upload.batch} could not be checked; until a roster is uploaded again and passes, the month's release leaves it out.`,
    '',
    `文件 / File: ${upload.key}`,
    `原因 / Reason: ${maskIdsInText(reason)}`,
    '',
    '请核对后将完整花名册重新上传到同一目录（文件过大或含大量重复行时请先检查）；如再次失败，请联系民政局。',
    'Please check the file and upload the whole roster again to the same folder (a very large file, or one repeating rows, should be checked first); if it fails again, contact the bureau.',
  ].join('\n');
  for (const to of recipients) {
    await deps.notifier.send({
      to: [to],
      subject: `[payguard] ${upload.month} ${upload.batch} 花名册未能检查 / roster could not be checked`,
      text,
    });
  }
  await deps.audit.append({
    month: upload.month,
    action: 'FILE_FAILED',
    actor: 'payguard:ingest',
    at,
    subject: upload.key,
    details: { uploadId: upload.uploadId, reason, current, notified: recipients.length },
  });
  return { month: upload.month, bucket: upload.bucket, uploadId: upload.uploadId, status: 'FAILED', current };
}
