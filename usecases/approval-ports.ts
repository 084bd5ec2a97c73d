import type { ApprovalOutcome } from '#schemas/release.ts';

export type { LinkKeys } from '#domain/approval/link-token.ts';

export type ApprovalStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'SUPERSEDED' | 'VOID';

/** One approver's approval, with where it came from. */
export type ApprovalSignature = ApprovalOutcome['approvals'][number];
export type ApprovalRejection = NonNullable<ApprovalOutcome['rejection']>;

/**
 * Whether a request's final decision reached the workflow step waiting for it. Stored with the
 * decision (PENDING), so a decision whose `SendTaskSuccess` failed is delivered later — by the
 * retry within the request, the next request of one of its links, or the sweep — and never left to
 * time out.
 */
export interface DecisionDelivery {
  /**
   * PENDING until `SendTaskSuccess` succeeded (DELIVERED) or the waiting step turned out to be gone
   * (STEP_GONE: it timed out, or an earlier attempt did deliver it but never heard back).
   */
  readonly status: 'PENDING' | 'DELIVERED' | 'STEP_GONE';
  /** When the decision was stored. */
  readonly since: string;
  /** `SendTaskSuccess` calls made so far. */
  readonly attempts: number;
  readonly lastAttemptAt?: string;
  readonly lastError?: string;
  /** Epoch milliseconds until which one deliverer holds it; others leave it alone. */
  readonly leaseUntil?: number;
}

/** A decision recorded for the sweep before it is stored, so none can be stored and forgotten. */
export interface UndeliveredDecision {
  readonly month: string;
  readonly requestId: string;
  /** When it was noted. */
  readonly at: string;
}

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
  /** Set with the final decision (APPROVED or REJECTED). */
  readonly delivery?: DecisionDelivery;
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
  /**
   * PENDING → APPROVED, its delivery PENDING; false when another call did it first or the
   * request closed.
   */
  markApproved(month: string, requestId: string, at: string): Promise<boolean>;
  /** PENDING → REJECTED, its delivery PENDING; false when the request was not pending. */
  reject(month: string, requestId: string, rejection: ApprovalRejection): Promise<boolean>;
  /** Notes a decision about to be stored, for the sweep (idempotent). */
  noteUndelivered(month: string, requestId: string, at: string): Promise<void>;
  /** Every decision noted and not yet forgotten, oldest first. */
  undelivered(): Promise<UndeliveredDecision[]>;
  /** Forgets a noted decision (delivered, step gone, or never stored). */
  forgetUndelivered(month: string, requestId: string): Promise<void>;
  /**
   * Takes the delivery of a decided request for `leaseMs` from `nowMs`: the request when its
   * delivery is PENDING and nobody else holds it, else `undefined`.
   */
  claimDelivery(
    month: string,
    requestId: string,
    nowMs: number,
    leaseMs: number,
  ): Promise<ApprovalRequest | undefined>;
  /**
   * Records how a delivery attempt ended and gives up the lease. A PENDING delivery stays
   * PENDING; one already settled is not changed.
   */
  settleDelivery(
    month: string,
    requestId: string,
    result: {
      status: DecisionDelivery['status'];
      attempts: number;
      at: string;
      error?: string;
    },
  ): Promise<void>;
  /** Claims the month's release for this content; returns the record that holds (new or earlier). */
  claimRelease(record: ReleaseRecord): Promise<ReleaseRecord>;
  /** Remembers the token of the step waiting for the month's bank returns. */
  putBankWait(month: string, taskToken: string, at: string): Promise<void>;
  getBankWait(month: string): Promise<{ taskToken: string; since: string } | undefined>;
}

/** Staging labels of a secret's versions, as Secrets Manager names them. */
export const SECRET_STAGES = {
  current: 'AWSCURRENT',
  pending: 'AWSPENDING',
  previous: 'AWSPREVIOUS',
} as const;

/** A secret whose versions a rotation function turns over (Secrets Manager's versions and labels). */
export interface RotatedSecret {
  /** Whether rotation is on, and the staging labels of each version id. */
  describe(secretId: string): Promise<{
    rotationEnabled: boolean;
    versions: Readonly<Record<string, readonly string[]>>;
  }>;
  /** The value of the version labelled `stage` (and of id `versionId`, if given); `undefined` when none. */
  value(secretId: string, stage: string, versionId?: string): Promise<string | undefined>;
  /** A new random key: 64 letters and digits. */
  randomKey(): Promise<string>;
  /** Stores `value` as version `versionId`, labelled AWSPENDING. */
  putPending(secretId: string, versionId: string, value: string): Promise<void>;
  /**
   * Moves label `stage` to version `to` from version `from` (moving AWSCURRENT moves AWSPREVIOUS
   * to the version it left), or only removes it from `from` when `to` is undefined.
   */
  moveStage(secretId: string, stage: string, to: string | undefined, from: string | undefined): Promise<void>;
}
