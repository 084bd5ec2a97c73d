import { maskIdNumbersInText, maskPersonalNumbersInText } from '#domain/personal-numbers-in-text.ts';
import type { Contacts } from '#schemas/contacts.ts';
import { formatFen } from '#schemas/money.ts';
import type { HoldMonthInput } from '#schemas/release.ts';
import { patchMonthSummary } from './month-summary.ts';
import type { AuditTrail, Notifier, ObjectStore } from './ports.ts';

/**
 * Ends a month as HELD: nothing is released. Records why (a rejection, with who and their
 * reason, or the approval timing out) in the audit trail and `summary.json`, and tells every town
 * office and the bureau: the towns with every ID-like and account-like number of the reason
 * masked, the bureau with the reason whole but for its ID numbers' mask.
 */
export async function holdMonth(
  input: HoldMonthInput,
  deps: {
    store: ObjectStore;
    audit: AuditTrail;
    notifier: Notifier;
    contacts: Pick<Contacts, 'towns' | 'bureau'>;
    now: () => string;
  },
): Promise<{ month: string; outcome: 'HELD'; reason: string }> {
  const at = deps.now();
  const rejection = input.approval?.rejection;
  const reason = rejection
    ? `驳回 / rejected by ${rejection.approverName} (${rejection.approverId}) at ${rejection.at}: ${rejection.reason}`
    : input.error?.Error === 'States.Timeout'
      ? '审批超时 / no decision before the approval request timed out'
      : `审批未完成 / approval did not complete: ${input.error?.Error ?? 'unknown'}`;
  const bureau = new Set(deps.contacts.bureau);
  const recipients = [...new Set([...Object.values(deps.contacts.towns), ...deps.contacts.bureau])];
  const text = (shown: string) =>
    [
      `${input.month} 月救助资金本次未予发放（${input.rows} 笔，合计 ${formatFen(input.amountFen)} 元）。`,
      `The ${input.month} payout was not released (${input.rows} payments, ${formatFen(input.amountFen)} yuan).`,
      '',
      `原因 / Reason: ${shown}`,
      '',
      '请核实后重新上传花名册，或联系民政局。 / Please check, re-upload the roster if needed, or contact the bureau.',
    ].join('\n');
  // The reason is typed by an approver and may name a person: every town office gets it with any
  // ID-like or account-like number masked; the bureau gets it whole but for the ID mask every
  // notice keeps (contract 4). An address that is also the bureau's gets the bureau's copy.
  const forBureau = text(maskIdNumbersInText(reason));
  const forTowns = text(maskPersonalNumbersInText(reason));
  // One message per office: each sees only its own address (and SES takes at most 50 per message).
  for (const to of recipients) {
    await deps.notifier.send({
      to: [to],
      subject: `[payguard] ${input.month} 救助资金暂缓发放 / payout HELD`,
      text: bureau.has(to) ? forBureau : forTowns,
    });
  }
  await patchMonthSummary(deps.store, input.month, {
    approval: {
      status: 'HELD',
      requestId: input.approval?.requestId ?? null,
      contentSha256: input.contentSha256,
      requiredApprovals: input.requiredApprovals,
      approvals: input.approval?.approvals ?? [],
      rejection: rejection ?? null,
      reason,
      heldAt: at,
    },
  });
  await deps.audit.append({
    month: input.month,
    action: 'MONTH_HELD',
    actor: rejection ? rejection.approverId : 'payguard:month-run',
    at,
    contentSha256: input.contentSha256,
    subject: input.candidateKey,
    details: { reason, requestId: input.approval?.requestId ?? null, notified: recipients.length },
  });
  return { month: input.month, outcome: 'HELD', reason };
}
