import { mailboxOf } from '#schemas/contacts.ts';
import { requiredApprovals } from './approvals-required.ts';

/** An approval request as the approval site stored it, as far as a release depends on it. */
export interface StoredApproval {
  readonly requestId: string;
  readonly runId: string;
  readonly status: string;
  readonly contentSha256: string;
  readonly rows: number;
  readonly amountFen: number;
  readonly requiredApprovals: number;
  /** The four-eyes threshold the request was made under; absent on requests stored before it was kept. */
  readonly fourEyesThresholdFen?: number | undefined;
  /** Who the request was sent to; `email` tells two people apart. */
  readonly approvers: readonly { readonly id: string; readonly email?: string | undefined }[];
  /** Approvals recorded, keyed by approver id. */
  readonly approvals: Readonly<Record<string, { readonly approverId: string; readonly at: string }>>;
}

/** What the workflow asks to release, as its payload says. */
export interface ReleaseClaim {
  readonly requestId: string;
  readonly runId: string;
  readonly contentSha256: string;
  readonly rows: number;
  readonly amountFen: number;
  readonly requiredApprovals: number;
  readonly fourEyesThresholdFen: number;
}

/** Result of {@link proveApproval}. */
export type ApprovalProof =
  | {
      readonly ok: true;
      /** Approvals needed: the strictest of the stored request, the claim and the four-eyes rule. */
      readonly required: number;
      /** The approvers whose approvals count, in the order they approved. */
      readonly approverIds: readonly string[];
    }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Whether the stored approval request proves the claimed release: it exists, is APPROVED, belongs
 * to the same run, is bound to the same content SHA-256, rows and amount, and was approved by as
 * many distinct people as the four-eyes rule asks — distinct by approver id and by mailbox (two ids
 * reaching one mailbox count once), each one an approver the request was sent to. Anything else in
 * the record (an approval by someone not asked, two approvals from one mailbox) refuses it too: the
 * approval site never writes such a record. The payload's own account of the decision is never
 * evidence: a forged `APPROVED` proves nothing.
 * Pure: no I/O.
 */
export function proveApproval(stored: StoredApproval | undefined, claim: ReleaseClaim): ApprovalProof {
  if (stored === undefined) {
    return { ok: false, problems: [`no approval request ${claim.requestId} is stored`] };
  }
  const problems: string[] = [];
  if (stored.requestId !== claim.requestId) problems.push(`the stored request is ${stored.requestId}`);
  if (stored.status !== 'APPROVED') problems.push(`the stored request is ${stored.status}, not APPROVED`);
  if (stored.runId !== claim.runId) {
    problems.push(`the request was made for run ${stored.runId}, not run ${claim.runId}`);
  }
  if (stored.contentSha256 !== claim.contentSha256) {
    problems.push(`the request approves content ${stored.contentSha256}, not ${claim.contentSha256}`);
  }
  if (stored.rows !== claim.rows || stored.amountFen !== claim.amountFen) {
    problems.push(
      `the request approves ${stored.rows} rows and ${stored.amountFen} fen, not ${claim.rows} rows and ${claim.amountFen} fen`,
    );
  }
  const thresholds = [stored.fourEyesThresholdFen, claim.fourEyesThresholdFen].filter(
    (t): t is number => t !== undefined,
  );
  const required = Math.max(
    stored.requiredApprovals,
    claim.requiredApprovals,
    ...thresholds.map((t) => requiredApprovals(stored.amountFen, t)),
  );

  const mailboxes = new Map(
    stored.approvers.map((a) => [a.id, a.email === undefined ? `id:${a.id}` : mailboxOf(a.email)]),
  );
  const approverIds: string[] = [];
  const people = new Map<string, string>();
  const ordered = Object.entries(stored.approvals).sort(([, a], [, b]) => (a.at < b.at ? -1 : 1));
  for (const [key, signature] of ordered) {
    const mailbox = mailboxes.get(signature.approverId);
    if (key !== signature.approverId || mailbox === undefined) {
      problems.push(`the record holds an approval by "${signature.approverId}", who was not asked`);
      continue;
    }
    const same = people.get(mailbox);
    if (same !== undefined) {
      problems.push(`"${same}" and "${signature.approverId}" share a mailbox: one person approved twice`);
      continue;
    }
    people.set(mailbox, signature.approverId);
    approverIds.push(signature.approverId);
  }
  if (approverIds.length < required) {
    problems.push(`${approverIds.length} distinct approver(s) approved; ${required} required`);
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, required, approverIds };
}
