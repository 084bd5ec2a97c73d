import type { ApprovalRequest, ApprovalStore, ReleaseRecord } from '#usecases/approval-ports.ts';

/**
 * The approval table as ReleaseMonth uses it, in memory, for the invocation-memory tool: it holds
 * the approved requests it is given, closes them, and claims a month's release once (the first
 * claim holds, as the conditional write does). The approval site's own calls (links, approvals,
 * deliveries) are not part of a release and throw.
 */
export class MemoryApprovalStore
  implements Pick<ApprovalStore, 'getRequest' | 'closeRequest' | 'claimRelease'>
{
  private readonly requests = new Map<string, ApprovalRequest>();
  private readonly releases = new Map<string, ReleaseRecord>();

  constructor(requests: readonly ApprovalRequest[]) {
    for (const r of requests) this.requests.set(`${r.month}/${r.requestId}`, r);
  }

  async getRequest(month: string, requestId: string): Promise<ApprovalRequest | undefined> {
    return this.requests.get(`${month}/${requestId}`);
  }

  async closeRequest(
    month: string,
    requestId: string,
    status: 'SUPERSEDED' | 'VOID',
    reason: string,
  ): Promise<boolean> {
    const request = this.requests.get(`${month}/${requestId}`);
    const open = status === 'VOID' ? ['PENDING', 'APPROVED'] : ['PENDING'];
    if (request === undefined || !open.includes(request.status)) return false;
    this.requests.set(`${month}/${requestId}`, { ...request, status, closedReason: reason });
    return true;
  }

  async claimRelease(record: ReleaseRecord): Promise<ReleaseRecord> {
    const held = this.releases.get(record.month);
    if (held !== undefined) return held;
    this.releases.set(record.month, record);
    return record;
  }
}
