import { describe, expect, it } from 'vitest';
import { proveApproval, type ReleaseClaim, type StoredApproval } from '#domain/release/approval-proof.ts';

const SHA = 'a'.repeat(64);
const LI = { id: 'approver.li', email: 'li.shenpi@mzj.county.gov.cn' };
const ZHAO = { id: 'approver.zhao', email: 'zhao.fuhe@mzj.county.gov.cn' };
const signed = (approverId: string, at: string) => ({ approverId, at });

/** A request of 3 rows, 3540.00 yuan, under a 3540.00 threshold (four eyes), approved by both. */
const STORED: StoredApproval = {
  requestId: 'req-1',
  runId: '0123456789abcdef',
  status: 'APPROVED',
  contentSha256: SHA,
  rows: 3,
  amountFen: 354_000,
  requiredApprovals: 2,
  fourEyesThresholdFen: 354_000,
  approvers: [LI, ZHAO],
  approvals: {
    'approver.zhao': signed('approver.zhao', '2026-10-02T09:00:00.000Z'),
    'approver.li': signed('approver.li', '2026-10-02T08:00:00.000Z'),
  },
};

const CLAIM: ReleaseClaim = {
  requestId: 'req-1',
  runId: '0123456789abcdef',
  contentSha256: SHA,
  rows: 3,
  amountFen: 354_000,
  requiredApprovals: 2,
  fourEyesThresholdFen: 354_000,
};

describe('proveApproval', () => {
  it('proves a release approved by two people, in the order they approved', () => {
    // Act
    const proof = proveApproval(STORED, CLAIM);

    // Assess
    expect(proof).toEqual({ ok: true, required: 2, approverIds: ['approver.li', 'approver.zhao'] });
  });

  it.each<[string, StoredApproval | undefined, ReleaseClaim, string]>([
    ['no stored request', undefined, CLAIM, 'no approval request req-1 is stored'],
    [
      'a request still PENDING',
      { ...STORED, status: 'PENDING' },
      CLAIM,
      'the stored request is PENDING, not APPROVED',
    ],
    [
      'a REJECTED request',
      { ...STORED, status: 'REJECTED' },
      CLAIM,
      'the stored request is REJECTED, not APPROVED',
    ],
    ['a VOID request', { ...STORED, status: 'VOID' }, CLAIM, 'the stored request is VOID, not APPROVED'],
    [
      'other content',
      STORED,
      { ...CLAIM, contentSha256: 'b'.repeat(64) },
      `the request approves content ${SHA}`,
    ],
    [
      'another run',
      STORED,
      { ...CLAIM, runId: 'fedcba9876543210' },
      'the request was made for run 0123456789abcdef',
    ],
    ['other totals', STORED, { ...CLAIM, amountFen: 999_999 }, 'the request approves 3 rows and 354000 fen'],
    [
      'one approval where four eyes need two',
      { ...STORED, approvals: { 'approver.li': signed('approver.li', '2026-10-02T08:00:00.000Z') } },
      CLAIM,
      '1 distinct approver(s) approved; 2 required',
    ],
    [
      'two ids reaching one mailbox',
      { ...STORED, approvers: [LI, { ...ZHAO, email: 'Li.Shenpi+2@mzj.county.gov.cn' }] },
      CLAIM,
      '"approver.li" and "approver.zhao" share a mailbox: one person approved twice',
    ],
    [
      'an approval by someone the request was not sent to',
      { ...STORED, approvers: [LI] },
      CLAIM,
      'the record holds an approval by "approver.zhao", who was not asked',
    ],
    [
      'one approval, the claim lowering what is required',
      {
        ...STORED,
        approvals: { 'approver.li': signed('approver.li', '2026-10-02T08:00:00.000Z') },
      },
      { ...CLAIM, requiredApprovals: 1, fourEyesThresholdFen: 100_000_000 },
      '1 distinct approver(s) approved; 2 required',
    ],
    [
      'one approval, the stored request and the claim both lowered below the threshold',
      {
        ...STORED,
        requiredApprovals: 1,
        approvals: { 'approver.li': signed('approver.li', '2026-10-02T08:00:00.000Z') },
      },
      { ...CLAIM, requiredApprovals: 1 },
      '1 distinct approver(s) approved; 2 required',
    ],
  ])('refuses %s', (_, stored, claim, problem) => {
    // Act
    const proof = proveApproval(stored, claim);

    // Assess
    expect(proof.ok).toBe(false);
    expect(proof.ok ? [] : proof.problems).toEqual(
      expect.arrayContaining([expect.stringContaining(problem)]),
    );
  });

  it('needs one approver below the threshold', () => {
    // Prepare
    const stored = {
      ...STORED,
      requiredApprovals: 1,
      fourEyesThresholdFen: 1_000_000,
      approvals: { 'approver.zhao': signed('approver.zhao', '2026-10-02T09:00:00.000Z') },
    };

    // Act
    const proof = proveApproval(stored, { ...CLAIM, requiredApprovals: 1, fourEyesThresholdFen: 1_000_000 });

    // Assess
    expect(proof).toEqual({ ok: true, required: 1, approverIds: ['approver.zhao'] });
  });
});
