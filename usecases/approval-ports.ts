import type { ApprovalOutcome } from '#schemas/release.ts';

export type ApprovalStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'SUPERSEDED' | 'VOID';

/** One approver's approval, with where it came from. */
export type ApprovalSignature = ApprovalOutcome['approvals'][number];
export type ApprovalRejection = NonNullable<ApprovalOutcome['rejection']>;

/** One approval request of a month: the release content it is for and who may decide. */
export interface ApprovalRequest {
  readonly month: string;
  readonly requestId: string;
  readonly runId: string;
  /** Step Functions task token of the waiting step; never leaves the state table. */
  readonly taskToken: string;
  readonly contentSha256: string;
  readonly candidateKey: string;
  readonly viewKey: string;
  readonly rows: number;
  readonly amountFen: number;
  readonly requiredApprovals: number;
  /** The four-eyes threshold the request was made under (absent on requests stored before it was kept). */
  readonly fourEyesThresholdFen?: number;
  /** Who the request went to; the e-mail tells two people apart when the release is proved. */
  readonly approvers: readonly { id: string; name: string; email?: string }[];
  readonly status: ApprovalStatus;
  readonly requestedAt: string;
  readonly expiresAt: string;
  /** Approvals so far, by approver id. */
  readonly approvals: Readonly<Record<string, ApprovalSignature>>;
  readonly rejection?: ApprovalRejection;
  readonly closedReason?: string;
}

/** A personal approval link: one approver, one request, used once. */
export interface ApprovalLink {
  readonly linkId: string;
  readonly month: string;
  readonly requestId: string;
  readonly approverId: string;
  readonly approverName: string;
  /** Epoch seconds. */
  readonly expiresAt: number;
  readonly usedAt?: string;
  readonly decision?: 'APPROVE' | 'REJECT';
}

/** The one release of a month: a second, different payment file is never produced. */
export interface ReleaseRecord {
  readonly month: string;
  readonly contentSha256: string;
  readonly rows: number;
  readonly amountFen: number;
  readonly runId: string;
  readonly requestId: string;
  readonly releasedAt: string;
}

/** Approval requests, links and the release claim; each change a single conditional write. */
export interface ApprovalStore {
  /** False when the request already exists (a retried step). */
  createRequest(request: ApprovalRequest): Promise<boolean>;
  getRequest(month: string, requestId: string): Promise<ApprovalRequest | undefined>;
  /** Points the month at a request; returns the request it pointed at before, if another. */
  setCurrentRequest(month: string, requestId: string, at: string): Promise<string | undefined>;
  currentRequestId(month: string): Promise<string | undefined>;
  /** Closes a request that is still PENDING (or APPROVED, for VOID); false when it was not. */
  closeRequest(
    month: string,
    requestId: string,
    status: 'SUPERSEDED' | 'VOID',
    reason: string,
    at: string,
  ): Promise<boolean>;
  putLink(link: ApprovalLink): Promise<void>;
  getLink(linkId: string): Promise<ApprovalLink | undefined>;
  /** Marks an unused, unexpired link used; false when it was used already. */
  useLink(linkId: string, decision: 'APPROVE' | 'REJECT', at: string): Promise<boolean>;
  /**
   * Adds an approval to a PENDING request the approver has not approved yet; the request after
   * the change, or `undefined` when the request was not open to it.
   */
  addApproval(
    month: string,
    requestId: string,
    signature: ApprovalSignature,
  ): Promise<ApprovalRequest | undefined>;
  /** PENDING → APPROVED; false when another call did it first or the request closed. */
  markApproved(month: string, requestId: string, at: string): Promise<boolean>;
  /** PENDING → REJECTED; false when the request was not pending. */
  reject(month: string, requestId: string, rejection: ApprovalRejection): Promise<boolean>;
  /** Claims the month's release for this content; returns the record that holds (new or earlier). */
  claimRelease(record: ReleaseRecord): Promise<ReleaseRecord>;
  /** Remembers the token of the step waiting for the month's bank returns. */
  putBankWait(month: string, taskToken: string, at: string): Promise<void>;
  getBankWait(month: string): Promise<{ taskToken: string; since: string } | undefined>;
}
