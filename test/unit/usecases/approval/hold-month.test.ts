import { describe, expect, it } from 'vitest';
import { monthSummary } from '#schemas/bucket-layout.ts';
import { type HoldMonthInput, HoldMonthInputSchema } from '#schemas/release.ts';
import { holdMonth } from '#usecases/hold-month.ts';
import type { Notification } from '#usecases/ports.ts';
import { MemoryAuditTrail } from '../../../../bench/memory-audit-trail.ts';
import { MemoryObjectStore } from '../dataset/memory-object-store.ts';

const MONTH = '2026-10';
const ID = '44200019800101123X';
const ACCOUNT = '6222020212345678901';
const CONTACTS = {
  towns: { shiqi: 'shiqi@towns.example.gov.cn', dongqu: 'dongqu@towns.example.gov.cn' },
  bureau: ['ops@mzj.example.gov.cn'],
};

function rejectedBy(reason: string): HoldMonthInput {
  return HoldMonthInputSchema.parse({
    month: MONTH,
    bucket: 'payguard-data',
    runId: '0123456789abcdef',
    manifestKey: `reports/${MONTH}/runs/0123456789abcdef/manifest.json`,
    candidateKey: `reports/${MONTH}/runs/0123456789abcdef/release-candidate.csv`,
    viewKey: `reports/${MONTH}/runs/0123456789abcdef/approval-view.json`,
    contentSha256: 'a'.repeat(64),
    rows: 3,
    amountFen: 354_000,
    requiredApprovals: 1,
    fourEyesThresholdFen: 50_000_000,
    approvalLinkHours: 72,
    approval: {
      decision: 'REJECTED',
      requestId: 'req-1',
      contentSha256: 'a'.repeat(64),
      approvals: [],
      rejection: {
        approverId: 'approver.zhao',
        approverName: '赵审批',
        at: '2026-10-26T02:00:00.000Z',
        reason,
        sourceIp: '127.0.0.1',
      },
    },
  });
}

async function hold(reason: string) {
  const sent: Notification[] = [];
  const store = new MemoryObjectStore().set(monthSummary.key({ month: MONTH }), '{"month":"2026-10"}\n');
  const audit = new MemoryAuditTrail();
  await holdMonth(rejectedBy(reason), {
    store,
    audit,
    notifier: { send: async (n) => void sent.push(n) },
    contacts: CONTACTS,
    now: () => '2026-10-26T02:00:01.000Z',
  });
  const to = (address: string) => sent.find((n) => n.to.includes(address))?.text ?? '';
  const summary = JSON.parse(
    Buffer.from(store.get(monthSummary.key({ month: MONTH })) ?? []).toString('utf8'),
  );
  return { sent, to, summary, audit };
}

describe('holdMonth', () => {
  it("masks the reason's ID and account numbers, spaced or dashed, in every town's notice", async () => {
    // Act
    const { sent, to } = await hold(
      `石岐 第 12 行 ${ID} 与 4420 0019 8001 0112 3X、442000-19800101-123X 同一人，账号 ${ACCOUNT} 与 6222 0202 1234 5678 901 重复`,
    );

    // Assess
    expect(sent.map((n) => n.to)).toEqual([
      ['shiqi@towns.example.gov.cn'],
      ['dongqu@towns.example.gov.cn'],
      ['ops@mzj.example.gov.cn'],
    ]);
    for (const town of Object.values(CONTACTS.towns)) {
      expect(to(town)).toContain(
        '原因 / Reason: 驳回 / rejected by 赵审批 (approver.zhao) at 2026-10-26T02:00:00.000Z: 石岐 第 12 行 ' +
          '442000********123X 与 4420 00** **** **12 3X、442000-********-123X 同一人，' +
          '账号 622202*********8901 与 6222 02** **** ***8 901 重复',
      );
      expect(to(town).replace(/[\s-]/g, '')).not.toContain(ID);
      expect(to(town).replace(/[\s-]/g, '')).not.toContain(ACCOUNT);
    }
  });

  it('gives the bureau the reason whole but for the ID mask every notice keeps, and keeps it whole in the record', async () => {
    // Act
    const reason = `${ID} 即 4420 0019 8001 0112 3X，账号 ${ACCOUNT}`;
    const { to, summary, audit } = await hold(reason);

    // Assess
    expect(to('ops@mzj.example.gov.cn')).toContain(
      `: 442000********123X 即 4420 00** **** **12 3X，账号 ${ACCOUNT}\n`,
    );
    expect(summary.approval.rejection.reason).toBe(reason);
    expect(audit.entries.at(-1)?.details).toEqual(
      expect.objectContaining({ reason: expect.stringContaining(reason) }),
    );
  });

  it('gives an address that is both a town office and the bureau the bureau copy, once', async () => {
    // Prepare
    const sent: Notification[] = [];
    const store = new MemoryObjectStore();

    // Act
    await holdMonth(rejectedBy(`账号 ${ACCOUNT}`), {
      store,
      audit: new MemoryAuditTrail(),
      notifier: { send: async (n) => void sent.push(n) },
      contacts: { towns: { shiqi: 'ops@mzj.example.gov.cn' }, bureau: ['ops@mzj.example.gov.cn'] },
      now: () => '2026-10-26T02:00:01.000Z',
    });

    // Assess
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toContain(ACCOUNT);
  });
});
