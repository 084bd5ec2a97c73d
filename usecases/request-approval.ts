import { createHash } from 'node:crypto';
import { newLinkId, signLinkToken } from '#domain/approval/link-token.ts';
import { APPROVAL_PATH } from '#schemas/approval-site-routes.ts';
import type { Approver } from '#schemas/contacts.ts';
import { formatFen } from '#schemas/money.ts';
import type { PreparedRelease } from '#schemas/release.ts';
import type { ApprovalStore } from './approval-ports.ts';
import type { AuditTrail, Notifier, TaskCallbacks } from './ports.ts';

/** Not enough approvers are configured for the release (the month cannot be approved). */
export class ApprovalConfigError extends Error {
  override readonly name = 'ApprovalConfigError';
}

export interface RequestApprovalDeps {
  readonly approvals: ApprovalStore;
  readonly audit: AuditTrail;
  readonly notifier: Notifier;
  readonly callbacks: TaskCallbacks;
  readonly approvers: readonly Approver[];
  readonly secret: string;
  /** Base URL of the approval site, e.g. `https://abc.execute-api.region.amazonaws.com`. */
  readonly baseUrl: string;
  readonly now: () => Date;
}

/** Request ids derive from the task token: a retried step creates no second request. */
const requestIdOf = (taskToken: string) => createHash('sha256').update(taskToken).digest('hex').slice(0, 24);

/**
 * Asks the month's approvers to approve a release: stores the request with the waiting step's
 * task token (which never leaves the state table), supersedes the month's earlier open request
 * (its waiting step fails with `ApprovalSuperseded`), and sends each approver a personal, signed,
 * expiring, single-use link to the approval page. A retried step (same token) sends nothing twice.
 * @throws ApprovalConfigError when fewer approvers are configured than the release needs.
 */
export async function requestApproval(
  input: PreparedRelease & { taskToken: string },
  deps: RequestApprovalDeps,
): Promise<{ requestId: string; approvers: number; created: boolean }> {
  if (deps.approvers.length < input.requiredApprovals) {
    throw new ApprovalConfigError(
      `the release of ${input.month} needs ${input.requiredApprovals} different approvers, ${deps.approvers.length} configured`,
    );
  }
  const now = deps.now();
  const at = now.toISOString();
  const expiresAtEpoch = Math.floor(now.getTime() / 1000) + input.approvalLinkHours * 3600;
  const expiresAt = new Date(expiresAtEpoch * 1000).toISOString();
  const requestId = requestIdOf(input.taskToken);
  const created = await deps.approvals.createRequest({
    month: input.month,
    requestId,
    runId: input.runId,
    taskToken: input.taskToken,
    contentSha256: input.contentSha256,
    candidateKey: input.candidateKey,
    viewKey: input.viewKey,
    rows: input.rows,
    amountFen: input.amountFen,
    requiredApprovals: input.requiredApprovals,
    fourEyesThresholdFen: input.fourEyesThresholdFen,
    approvers: deps.approvers.map((a) => ({ id: a.id, name: a.name, email: a.email })),
    status: 'PENDING',
    requestedAt: at,
    expiresAt,
    approvals: {},
  });
  if (!created) return { requestId, approvers: deps.approvers.length, created: false };

  const previous = await deps.approvals.setCurrentRequest(input.month, requestId, at);
  if (previous !== undefined) await supersede(input.month, previous, requestId, at, deps);

  const amount = formatFen(input.amountFen);
  for (const approver of deps.approvers) {
    const linkId = newLinkId();
    await deps.approvals.putLink({
      linkId,
      month: input.month,
      requestId,
      approverId: approver.id,
      approverName: approver.name,
      expiresAt: expiresAtEpoch,
    });
    const url = `${deps.baseUrl.replace(/\/$/, '')}${APPROVAL_PATH}?t=${signLinkToken({ linkId, expiresAt: expiresAtEpoch }, deps.secret)}`;
    await deps.notifier.send({
      to: [approver.email],
      subject: `[payguard] ${input.month} 救助资金发放审批 / payout approval: ${amount} 元 (${input.rows} 笔)`,
      text: [
        `${approver.name}：`,
        '',
        `${input.month} 月救助资金发放待您审批：${input.rows} 笔，合计 ${amount} 元。`,
        `The ${input.month} payout awaits your approval: ${input.rows} payments, ${amount} yuan in total.`,
        ...(input.requiredApprovals === 2
          ? [
              '金额达到双人审批标准，需两位审批人分别批准。 / Two different approvers must approve this release.',
            ]
          : []),
        '',
        `打开链接查看明细并决定 / Open to review and decide: ${url}`,
        '',
        `链接仅供您本人使用，只能使用一次，${expiresAt} 失效；打开链接不会作出任何决定。`,
        `This link is personal, works once and expires at ${expiresAt}; opening it decides nothing.`,
        `内容指纹 / content SHA-256: ${input.contentSha256}`,
      ].join('\n'),
    });
  }
  await deps.audit.append({
    month: input.month,
    action: 'APPROVAL_REQUESTED',
    actor: 'payguard:month-run',
    at,
    contentSha256: input.contentSha256,
    subject: input.candidateKey,
    details: {
      requestId,
      runId: input.runId,
      rows: input.rows,
      amount,
      requiredApprovals: input.requiredApprovals,
      fourEyesThreshold: formatFen(input.fourEyesThresholdFen),
      approvers: deps.approvers.map((a) => a.id),
      linksExpireAt: expiresAt,
      ...(previous ? { supersedes: previous } : {}),
    },
  });
  return { requestId, approvers: deps.approvers.length, created: true };
}

async function supersede(
  month: string,
  previous: string,
  by: string,
  at: string,
  deps: RequestApprovalDeps,
): Promise<void> {
  const reason = `a newer approval request (${by}) replaced it`;
  if (!(await deps.approvals.closeRequest(month, previous, 'SUPERSEDED', reason, at))) return;
  const old = await deps.approvals.getRequest(month, previous);
  if (old !== undefined) await deps.callbacks.fail(old.taskToken, 'ApprovalSuperseded', reason);
  await deps.audit.append({
    month,
    action: 'APPROVAL_SUPERSEDED',
    actor: 'payguard:month-run',
    at,
    subject: `approval ${previous}`,
    details: { requestId: previous, supersededBy: by },
  });
}
