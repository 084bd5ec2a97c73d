import { describe, expect, it } from 'vitest';
import type {
  Notification,
  ObjectStore,
  RunStateStore,
  UploadIdentity,
  ValidationOutcome,
} from '#usecases/ports.ts';
import { noticeRejection } from '#usecases/rejection-notice.ts';

const upload = {
  bucket: 'b',
  key: 'incoming/2026-10/shiqi/roster.csv',
  version: 'v1',
  month: '2026-10',
  batch: 'shiqi',
  fileName: 'roster.csv',
  size: 10,
  order: '2026-10-05T08:00:00.000Z|roster.csv',
  uploadId: '0123456789abcdef',
} satisfies UploadIdentity;

const outcome = {
  status: 'REJECTED',
  records: 3,
  blankRecords: 0,
  validRows: 0,
  invalidRows: 0,
  findings: 1,
  validAmountFen: 0,
  encoding: 'utf-8',
  sourceSha256: 'x'.repeat(64),
  reportKey: 'reports/2026-10/validation/shiqi/0123456789abcdef.json',
  readableReportKey: 'reports/2026-10/validation/shiqi/0123456789abcdef.txt',
  fileFinding: 'TOTAL_MISMATCH',
} satisfies ValidationOutcome;

function prepare(failFirstSend = false) {
  const notices = new Map<string, string>();
  const state = {
    claimRejectionNotice: async (id: string) => {
      if (notices.has(id) && notices.get(id) !== 'FAILED') return false;
      notices.set(id, 'SENDING');
      return true;
    },
    settleRejectionNotice: async (id: string, sent: boolean) =>
      void notices.set(id, sent ? 'SENT' : 'FAILED'),
  } as unknown as RunStateStore;
  const sent: Notification[] = [];
  let calls = 0;
  const deps = {
    state,
    store: {
      readBytes: async () =>
        new TextEncoder().encode('合计 stated 9,999.00；valid amounts sum to 3,540.00 ✗'),
    } as unknown as ObjectStore,
    notifier: {
      send: async (n: Notification) => {
        calls++;
        if (failFirstSend && calls === 1) throw new Error('SES throttled');
        sent.push(n);
      },
    },
    contacts: () => ({ towns: { shiqi: 'shiqi@towns.example.gov.cn' } }),
    now: () => '2026-10-05T08:00:01.000Z',
  };
  return { deps, sent };
}

describe('noticeRejection', () => {
  it('mails the office once with the report, however often the step runs again', async () => {
    // Prepare
    const { deps, sent } = prepare();

    // Act
    const first = await noticeRejection(upload, outcome, deps);
    const again = await noticeRejection(upload, outcome, deps);

    // Assess
    expect([first, again]).toEqual([true, false]);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.to).toEqual(['shiqi@towns.example.gov.cn']);
    expect(sent[0]?.text).toContain('TOTAL_MISMATCH');
    expect(sent[0]?.text).toContain('合计 stated 9,999.00');
  });

  it('sends again on the retry after a failed sending', async () => {
    // Prepare
    const { deps, sent } = prepare(true);

    // Act
    const failed = await noticeRejection(upload, outcome, deps).catch((e: Error) => e.message);
    const retried = await noticeRejection(upload, outcome, deps);

    // Assess
    expect(failed).toBe('SES throttled');
    expect(retried).toBe(true);
    expect(sent).toHaveLength(1);
  });

  it('mails no town without an office address', async () => {
    // Prepare
    const { deps, sent } = prepare();

    // Act
    const mailed = await noticeRejection({ ...upload, batch: 'dongqu' }, outcome, deps);

    // Assess
    expect(mailed).toBe(false);
    expect(sent).toHaveLength(0);
  });
});
