import { markSameDevice } from '#domain/approval/same-device.ts';
import type { ApprovalOutcome } from '#schemas/release.ts';
import type { ApprovalRequest, ApprovalStore } from './approval-ports.ts';
import type { AuditTrail, TaskCallbacks } from './ports.ts';

/** How long one deliverer holds a decision: longer than any delivery takes (the desk's runs 25 s at most). */
export const DELIVERY_LEASE_MS = 120_000;

export interface DeliveryDeps {
  readonly approvals: ApprovalStore;
  readonly audit: AuditTrail;
  readonly callbacks: TaskCallbacks;
  readonly now: () => Date;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** How one call to {@link deliverDecision} ended. */
export type DeliveryResult =
  /** The waiting step has the decision. */
  | 'DELIVERED'
  /** The step no longer waits (timed out, or an earlier attempt delivered it unheard). */
  | 'STEP_GONE'
  /** Every attempt failed: still PENDING, for the next request of a link or the sweep. */
  | 'DEFERRED'
  /** Nothing to do here: no decision, already settled, or another deliverer holds it. */
  | 'NOT_DUE';

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * What the waiting RequestApproval step is told: the stored decision, never one taken from a
 * request. `undefined` when the request holds no final decision.
 */
export function decisionOutcome(request: ApprovalRequest): ApprovalOutcome | undefined {
  if (request.status !== 'APPROVED' && request.status !== 'REJECTED') return undefined;
  return {
    decision: request.status,
    requestId: request.requestId,
    contentSha256: request.contentSha256,
    approvals: markSameDevice(Object.values(request.approvals)),
    ...(request.status === 'REJECTED' && request.rejection ? { rejection: request.rejection } : {}),
  };
}

/**
 * Delivers a stored decision to the step waiting for it (`SendTaskSuccess`), at most one deliverer
 * at a time: one attempt, then one more after each pause of `delaysMs` (each attempt is itself
 * retried by the SDK). Delivery is idempotent: a step already gone (`TaskTimedOut`,
 * `TaskDoesNotExist`, `InvalidToken`) is recorded as STEP_GONE, not retried. A delivery that
 * failed stays PENDING for the next try. Audited when it is not plain: the first deferral
 * (`APPROVAL_DELIVERY_DEFERRED`), a delivery after failed attempts (`APPROVAL_DELIVERED`), a step
 * gone (`APPROVAL_STEP_GONE`).
 * @param by who delivers, for the audit trail (e.g. `payguard:approval-desk`).
 */
export async function deliverDecision(
  month: string,
  requestId: string,
  deps: DeliveryDeps,
  options: { delaysMs: readonly number[]; by: string },
): Promise<DeliveryResult> {
  const claimed = await deps.approvals.claimDelivery(
    month,
    requestId,
    deps.now().getTime(),
    DELIVERY_LEASE_MS,
  );
  if (claimed?.delivery === undefined) return 'NOT_DUE';
  const before = claimed.delivery.attempts;
  const outcome = decisionOutcome(claimed);
  const sleep = deps.sleep ?? pause;
  let attempts = before;
  let result: 'DELIVERED' | 'STEP_GONE' | undefined = outcome === undefined ? 'STEP_GONE' : undefined;
  let lastError: string | undefined = outcome === undefined ? `the request is ${claimed.status}` : undefined;
  for (let i = 0; result === undefined && i <= options.delaysMs.length; i++) {
    if (i > 0) await sleep(options.delaysMs[i - 1] ?? 0);
    attempts++;
    try {
      result = (await deps.callbacks.succeed(claimed.taskToken, outcome)) ? 'DELIVERED' : 'STEP_GONE';
      lastError = undefined;
    } catch (error) {
      lastError = `${(error as Error)?.name ?? 'Error'}: ${(error as Error)?.message ?? String(error)}`;
    }
  }
  const at = deps.now().toISOString();
  await deps.approvals.settleDelivery(month, requestId, {
    status: result ?? 'PENDING',
    attempts,
    at,
    ...(lastError === undefined ? {} : { error: lastError }),
  });
  const details = {
    requestId,
    runId: claimed.runId,
    decision: claimed.status,
    decidedAt: claimed.delivery.since,
    attempts,
    by: options.by,
    ...(lastError === undefined ? {} : { lastError }),
  };
  const entry = (action: string, extra: Record<string, unknown> = {}) =>
    deps.audit.append({
      month,
      action,
      actor: options.by,
      at,
      contentSha256: claimed.contentSha256,
      subject: `approval ${requestId}`,
      details: { ...details, ...extra },
    });
  if (result === 'STEP_GONE') {
    await entry('APPROVAL_STEP_GONE', {
      note: 'the waiting step no longer exists: it timed out, or an earlier attempt delivered the decision unheard',
    });
  } else if (result === 'DELIVERED' && attempts > 1) {
    await entry('APPROVAL_DELIVERED');
  } else if (result === undefined && before === 0) {
    await entry('APPROVAL_DELIVERY_DEFERRED');
  }
  return result ?? 'DEFERRED';
}
