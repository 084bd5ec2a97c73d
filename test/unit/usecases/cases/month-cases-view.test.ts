import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '#schemas/case.ts';
import { monthCasesView, trailingCases, trailingOverdue } from '#usecases/month-cases-view.ts';
import { MemoryObjectStore } from '../dataset/memory-object-store.ts';
import { MemoryCaseStore } from './memory-case-store.ts';

const NOW = '2026-12-05T12:00:00.000Z';

const aCase = (overrides: Partial<CaseRecord>): CaseRecord => ({
  caseId: 'F-0000000000000001',
  month: '2026-11',
  town: 'shiqi',
  kind: 'FINDING',
  code: 'EMPLOYED',
  severity: 'REVIEW',
  idNumber: '44200019600101001X',
  category: 'DIBAO',
  detail: 'd',
  status: 'OPEN',
  money: { overpaidFen: 0, underpaidFen: 0, wronglyPaidFen: 0, recoveredFen: 0 },
  openedAt: '2026-12-04T00:00:00.000Z',
  version: 1,
  ...overrides,
});

describe('monthCasesView', () => {
  it("lists the overdue cases of the earlier months with the month's own, oldest first, IDs masked", async () => {
    // Prepare: this month's case is fresh; two of last month's are still open 35 days on, one closed
    const cases = new MemoryCaseStore();
    await cases.openAll('2026-11', [
      aCase({}),
      aCase({ caseId: 'F-old-1', month: '2026-10', town: 'dongqu', openedAt: '2026-10-31T12:00:00.000Z' }),
      aCase({ caseId: 'F-old-2', month: '2026-10', town: 'banfu', openedAt: '2026-10-31T12:00:00.000Z' }),
      aCase({
        caseId: 'F-old-3',
        month: '2026-10',
        status: 'CLOSED',
        outcome: 'PROBLEM_CONFIRMED',
        money: { overpaidFen: 40_000, underpaidFen: 0, wronglyPaidFen: 0, recoveredFen: 40_000 },
        openedAt: '2026-10-31T12:00:00.000Z',
        closedAt: '2026-11-06T12:00:00.000Z',
      }),
    ]);

    // Act
    const trailing = await trailingCases('2026-11', cases.asStore());
    const view = monthCasesView(
      trailing,
      await trailingOverdue(trailing, { store: new MemoryObjectStore(), now: () => NOW }),
    );

    // Assess
    expect(view?.overdue.map((o) => [o.month, o.town, o.ageDays])).toEqual([
      ['2026-10', 'banfu', 35],
      ['2026-10', 'dongqu', 35],
    ]);
    expect(view?.overdue[0]?.maskedId).toBe('442000********001X');
    expect(view?.current).toMatchObject({ month: '2026-11', overdue: 0, open: 1 });
    expect(view?.history.map((m) => [m.month, m.money.recoveredFen])).toEqual([
      ['2026-10', 40_000],
      ['2026-11', 0],
    ]);
  });

  it("takes a province's month of cases (more than a call takes arguments)", async () => {
    // Prepare: 300,000 cases of the month, listed by a store that answers with them at once.
    const month = Array.from({ length: 300_000 }, (_, i) => aCase({ caseId: `F-${i}` }));
    const cases = new MemoryCaseStore().asStore();
    const store = { ...cases, listMonthLines: async (m: string) => (m === '2026-11' ? month : []) };

    // Act
    const trailing = await trailingCases('2026-11', store);
    const view = monthCasesView(
      trailing,
      await trailingOverdue(trailing, { store: new MemoryObjectStore(), now: () => NOW }),
    );

    // Assess
    expect(view?.current).toMatchObject({ month: '2026-11', open: 300_000 });
  });
});
