import type { ApprovalStore } from './approval-ports.ts';
import { type DeliveryDeps, deliverDecision } from './deliver-decision.ts';

/** A note older than this whose request holds no decision was a decision that lost its race. */
const STALE_NOTE_MS = 15 * 60_000;

/** Pauses between the sweep's attempts for one decision. */
const SWEEP_DELAYS_MS = [500, 2000];

export interface DeliverDecisionsResult {
  readonly checked: number;
  readonly delivered: number;
  readonly stepGone: number;
  readonly deferred: number;
  /** Notes forgotten: delivered before, the step gone before, or no decision ever stored. */
  readonly cleared: number;
}

/**
 * The sweep (scheduled every few minutes): delivers every stored decision whose `SendTaskSuccess`
 * has not succeeded yet — the desk's own attempts and the next visit of a link may never come —
 * so no decided month waits until its approval step times out as HELD. Forgets the notes of
 * decisions delivered or whose step is gone.
 */
export async function deliverDecisions(
  deps: DeliveryDeps & { readonly approvals: ApprovalStore },
): Promise<DeliverDecisionsResult> {
  const counts = { checked: 0, delivered: 0, stepGone: 0, deferred: 0, cleared: 0 };
  for (const note of await deps.approvals.undelivered()) {
    counts.checked++;
    const request = await deps.approvals.getRequest(note.month, note.requestId);
    const status = request?.delivery?.status;
    if (status === 'PENDING') {
      const result = await deliverDecision(note.month, note.requestId, deps, {
        delaysMs: SWEEP_DELAYS_MS,
        by: 'payguard:deliver-decisions',
      });
      if (result === 'DELIVERED') counts.delivered++;
      if (result === 'STEP_GONE') counts.stepGone++;
      if (result === 'DEFERRED') counts.deferred++;
      if (result === 'DELIVERED' || result === 'STEP_GONE') {
        await deps.approvals.forgetUndelivered(note.month, note.requestId);
      }
      continue;
    }
    const stale = deps.now().getTime() - Date.parse(note.at) > STALE_NOTE_MS;
    if (status !== undefined || request === undefined || stale) {
      await deps.approvals.forgetUndelivered(note.month, note.requestId);
      counts.cleared++;
    }
  }
  return counts;
}
