import { describe, expect, it } from 'vitest';
import { anomaliesJson, townsFile } from '#schemas/bucket-layout.ts';
import type { CaseRecord } from '#schemas/case.ts';
import { notifyBureau } from '#usecases/notify-bureau.ts';
import type { CaseStore, Notification } from '#usecases/ports.ts';
import { writeMonthPage } from '#usecases/write-month-page.ts';
import { MemoryAuditTrail } from '../../../../bench/memory-audit-trail.ts';
import { UNMASKED_ID_NUMBER } from '../../../support/unmasked-id-number.ts';
import { MemoryObjectStore } from '../dataset/memory-object-store.ts';
import { MemoryCaseStore } from './memory-case-store.ts';

const NOW = '2026-12-05T12:00:00.000Z';
const BUREAU = { bureau: ['bureau@example.org'] };

const aCase = (i: number, overrides: Partial<CaseRecord> = {}): CaseRecord => ({
  caseId: `F-${String(i).padStart(16, '0')}`,
  month: '2026-10',
  town: ['shiqi', 'dongqu', 'banfu'][i % 3] as string,
  kind: 'FINDING',
  code: 'EMPLOYED',
  severity: 'REVIEW',
  idNumber: `4420001960010${String(1000 + i).slice(-4)}1`,
  category: 'DIBAO',
  detail: 'd',
  status: 'OPEN',
  money: { overpaidFen: 0, underpaidFen: 0, wronglyPaidFen: 0, recoveredFen: 0 },
  openedAt: `2026-10-${String(1 + (i % 28)).padStart(2, '0')}T12:00:00.000Z`,
  version: 1,
  ...overrides,
});

/** The overdue-case part of a notice. */
const overduePart = (text: string) => text.slice(text.indexOf('逾期案件'), text.indexOf('详见'));

describe('the overdue cases of the bureau notice', () => {
  it('are the ones WriteMonthPage found for the page, without a second listing of the case table', async () => {
    // Prepare: 70 overdue cases of last month (more than the notice lists), fresh ones of this month
    const table = new MemoryCaseStore();
    await table.openAll(
      '2026-10',
      Array.from({ length: 70 }, (_, i) => aCase(i)),
    );
    await table.openAll('2026-11', [aCase(100, { month: '2026-11', openedAt: '2026-12-04T00:00:00.000Z' })]);
    // The month as the watch leaves it before the page: towns and anomalies (none flagged).
    const store = new MemoryObjectStore()
      .set(
        townsFile.key(),
        'code,name,population\r\nshiqi,石岐街道,71000\r\ndongqu,东区街道,52000\r\nbanfu,板芙镇,40000\r\n',
      )
      .set(anomaliesJson.key({ month: '2026-11' }), JSON.stringify({ month: '2026-11', rows: [] }));
    const page = await writeMonthPage(
      { month: '2026-11' },
      { store, audit: new MemoryAuditTrail(), now: () => NOW, cases: table.asStore() },
    );
    const sent: Notification[] = [];
    const notifier = { send: async (n: Notification) => void sent.push(n) };
    const unlisted: CaseStore = {
      ...table.asStore(),
      listMonth: async () => {
        throw new Error('the notice listed the case table');
      },
    };

    // Act: the notice from what the page passed on, and one that lists the table itself
    await notifyBureau(
      { month: '2026-11', overdue: page.overdue },
      { store, notifier, contacts: BUREAU, cases: unlisted, now: () => NOW },
    );
    await notifyBureau(
      { month: '2026-11' },
      { store, notifier, contacts: BUREAU, cases: table.asStore(), now: () => NOW },
    );

    // Assess
    expect(page.overdue).toMatchObject({ days: 15, count: 70 });
    expect(page.overdue?.perTown).toEqual([
      { town: 'banfu', count: 23 },
      { town: 'dongqu', count: 23 },
      { town: 'shiqi', count: 24 },
    ]);
    expect(page.overdue?.oldest).toHaveLength(50);
    const [fromPage, listed] = sent.map((n) => overduePart(n.text));
    expect(fromPage).toContain('Overdue cases (open over 15 days): 70');
    expect(fromPage).toContain('… 20 more');
    expect(fromPage).toContain('442000********0011');
    expect(fromPage).not.toMatch(UNMASKED_ID_NUMBER);
    // No case id beside a masked ID: the hash of (month, rule, ID number, category) rebuilds it.
    expect(fromPage).not.toMatch(/[FV]-[0-9a-f]{16}/);
    const html = Buffer.from(store.get(page.reportKey) ?? []).toString('utf8');
    const overdueTable = html.slice(html.indexOf('data-testid="overdue-cases"'));
    expect(overdueTable).toContain('442000********0011');
    expect(overdueTable.slice(0, overdueTable.indexOf('</table>'))).not.toMatch(/[FV]-[0-9a-f]{16}/);
    expect(fromPage).toBe(listed);
  });
});
