import type { Contacts } from '#schemas/contacts.ts';
import type { Notifier, ObjectStore, RunStateStore, UploadIdentity, ValidationOutcome } from './ports.ts';

/** What {@link noticeRejection} needs. */
export interface RejectionNoticeDeps {
  readonly state: RunStateStore;
  readonly store: ObjectStore;
  readonly notifier: Notifier;
  /** Read only when a rejection is to be mailed (an accepted upload never depends on them). */
  readonly contacts: () => Pick<Contacts, 'towns'>;
  readonly now: () => string;
}

/**
 * E-mails the town office at once that its upload was rejected, with the row-numbered bilingual
 * validation report (IDs masked, as ValidateRoster wrote it). One e-mail per rejected upload:
 * a re-delivered event or a retried step sends none again (a claim in the state table), unless
 * the first sending failed. A town without an office address gets none.
 * @returns whether an e-mail was sent now.
 */
export async function noticeRejection(
  upload: UploadIdentity,
  outcome: ValidationOutcome,
  deps: RejectionNoticeDeps,
): Promise<boolean> {
  const to = deps.contacts().towns[upload.batch];
  if (to === undefined) return false;
  if (!(await deps.state.claimRejectionNotice(upload.uploadId, deps.now()))) return false;
  try {
    const bytes = await deps.store.readBytes(outcome.readableReportKey);
    const report = bytes === undefined ? '' : Buffer.from(bytes).toString('utf8');
    const reason =
      outcome.fileFinding !== undefined
        ? `整个文件未受理（${outcome.fileFinding}） / the whole file was refused (${outcome.fileFinding})`
        : `${outcome.invalidRows} 行有误 / ${outcome.invalidRows} row(s) with errors`;
    await deps.notifier.send({
      to: [to],
      subject: `[payguard] ${upload.month} 名册未受理 / roster rejected: ${upload.batch} ${upload.fileName}`,
      text: [
        `${upload.month} ${upload.batch} 上传的名册 ${upload.fileName} 未受理：${reason}。`,
        `The roster ${upload.fileName} uploaded for ${upload.month} was rejected: ${reason}.`,
        '请按下列校验报告逐行更正后重新上传（同一文件夹，或在办事台上传）。',
        'Please correct the rows below and upload again (same folder, or from the town desk).',
        '',
        report,
      ].join('\n'),
    });
  } catch (error) {
    await deps.state.settleRejectionNotice(upload.uploadId, false, deps.now());
    throw error;
  }
  await deps.state.settleRejectionNotice(upload.uploadId, true, deps.now());
  return true;
}
