import { bankReturnFile } from '#schemas/bucket-layout.ts';
import type { ApprovalStore } from './approval-ports.ts';
import { hasUnreconciledReturns } from './bank-returns.ts';
import type { AuditTrail, ObjectStore, TaskCallbacks } from './ports.ts';

/**
 * The released month waits for the bank: remembers the waiting step's token so the arrival of a
 * file under `bank-returns/{month}/` resumes it, and resumes it at once when files the last
 * close-out has not seen are there already.
 */
export async function awaitBankReturns(
  input: { month: string; taskToken: string },
  deps: {
    approvals: ApprovalStore;
    store: ObjectStore;
    audit: AuditTrail;
    callbacks: TaskCallbacks;
    now: () => string;
  },
): Promise<{ month: string; resumedAtOnce: boolean }> {
  const at = deps.now();
  await deps.approvals.putBankWait(input.month, input.taskToken, at);
  const ready = await hasUnreconciledReturns(deps.store, input.month);
  await deps.audit.append({
    month: input.month,
    action: 'BANK_RETURNS_AWAITED',
    actor: 'payguard:month-run',
    at,
    subject: bankReturnFile.folder({ month: input.month }),
    details: { filesWaiting: ready },
  });
  if (ready) await deps.callbacks.succeed(input.taskToken, { trigger: 'files-present', at });
  return { month: input.month, resumedAtOnce: ready };
}
