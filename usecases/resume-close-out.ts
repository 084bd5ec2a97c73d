import { bankReturnFile } from '#schemas/bucket-layout.ts';
import type { ApprovalStore } from './approval-ports.ts';
import type { AuditTrail, TaskCallbacks } from './ports.ts';

/**
 * A bank return file arrived: resumes the month waiting for it, if any (a file that lands before
 * the month waits is picked up when it starts waiting).
 */
export async function resumeCloseOut(
  input: { key: string; etag?: string | undefined },
  deps: { approvals: ApprovalStore; audit: AuditTrail; callbacks: TaskCallbacks; now: () => string },
): Promise<{ month: string | undefined; resumed: boolean }> {
  const month = bankReturnFile.parse(input.key)?.month;
  if (month === undefined) return { month: undefined, resumed: false };
  const wait = await deps.approvals.getBankWait(month);
  const resumed = wait ? await deps.callbacks.succeed(wait.taskToken, { trigger: input.key }) : false;
  await deps.audit.append({
    month,
    action: 'BANK_RETURN_RECEIVED',
    actor: 'bank',
    at: deps.now(),
    subject: input.key,
    details: { etag: input.etag ?? null, resumedCloseOut: resumed },
  });
  return { month, resumed };
}
