import { describe, expect, it } from 'vitest';
import { caseStatistics } from '#domain/cases/case-statistics.ts';
import { casesCsv } from '#formats/cases-csv.ts';
import type { CaseRecord } from '#schemas/case.ts';
import { caseListFragment } from '#views/case-list.ts';
import { caseOutcomeForm } from '#views/case-outcome-form.ts';
import { casesSection } from '#views/month-page-cases.ts';

const ID = '44200019600101001X';
const base = (overrides: Partial<CaseRecord>): CaseRecord => ({
  caseId: 'F-0123456789abcdef',
  month: '2026-11',
  town: 'shiqi',
  kind: 'FINDING',
  code: 'EMPLOYED',
  severity: 'REVIEW',
  idNumber: ID,
  category: 'DIBAO',
  detail: '2026-10 employer X',
  status: 'OPEN',
  money: { overpaidFen: 0, underpaidFen: 0, wronglyPaidFen: 0, recoveredFen: 0 },
  openedAt: '2026-11-01T00:00:00.000Z',
  version: 1,
  ...overrides,
});
const NOW = '2026-11-20T00:00:00.000Z';
const closed = base({
  caseId: 'F-closed',
  status: 'CLOSED',
  outcome: 'PROBLEM_CONFIRMED',
  money: { overpaidFen: 118_050, underpaidFen: 0, wronglyPaidFen: 0, recoveredFen: 50_000 },
  closedAt: '2026-11-10T00:00:00.000Z',
  closedBy: 'li',
  version: 2,
});
const inOrder = base({
  caseId: 'F-order',
  status: 'CLOSED',
  outcome: 'CONFIRMED_IN_ORDER',
  closedAt: NOW,
  closedBy: 'li',
});

describe('case fragments', () => {
  it("lists a town's cases with age and overdue marks, IDs masked", () => {
    // Act
    const text = String(
      caseListFragment({
        month: '2026-11',
        town: 'shiqi',
        cases: [base({}), closed],
        now: NOW,
        overdueDays: 15,
        caseHref: (id) => `/desk/case?c=${id}`,
      }),
    );

    // Assess
    expect(text).not.toContain(ID);
    expect(text).toContain('442000********001X');
    expect(text).toContain('data-testid="case-overdue"');
    expect(text).toContain('href="/desk/case?c=F-0123456789abcdef"');
  });

  it('shows the whole ID on the one case acted on, and posts the CSRF token to the given action', () => {
    // Act
    const text = String(caseOutcomeForm({ case: base({}), action: '/desk/cases', csrfToken: 'tok"en' }));

    // Assess
    expect(text).toContain(ID);
    expect(text).toContain('action="/desk/cases"');
    expect(text).toContain('name="csrf" value="tok&quot;en"');
    expect(text).toContain('value="CONFIRMED_IN_ORDER"');
    expect(text).not.toContain('value="STOPPED"');
  });

  it('gives the bureau precision per rule and money found, and writes cases.csv in yuan', () => {
    // Prepare
    const stats = caseStatistics('2026-11', [base({}), closed, inOrder], NOW, 15);

    // Act
    const section = String(casesSection({ overdueDays: 15, current: stats, history: [stats], overdue: [] }));
    const csv = casesCsv([closed]);

    // Assess
    expect(stats.precision).toBe(0.5);
    expect(stats.overdue).toBe(1);
    expect(section).toContain('50.0%');
    expect(section).toContain('1,180.50');
    expect(csv.split('\r\n')[1]).toBe(
      `2026-11,shiqi,FINDING,EMPLOYED,${ID},DIBAO,CLOSED,PROBLEM_CONFIRMED,1180.50,0.00,0.00,500.00,2026-11-01T00:00:00.000Z,2026-11-10T00:00:00.000Z,li`,
    );
  });

  it('counts withdrawn cases apart: in no precision, never overdue, only counted on the desk, CLOSED WITHDRAWN in cases.csv', () => {
    // Prepare: an old case a newer check of the month withdrew
    const withdrawn = base({
      caseId: 'F-withdrawn',
      status: 'CLOSED',
      outcome: 'WITHDRAWN',
      closedAt: NOW,
      closedBy: 'month-run:r2',
      version: 2,
    });

    // Act
    const stats = caseStatistics('2026-11', [closed, inOrder, withdrawn], NOW, 15);
    const section = String(casesSection({ overdueDays: 15, current: stats, history: [stats], overdue: [] }));
    const list = String(
      caseListFragment({
        month: '2026-11',
        town: 'shiqi',
        cases: [base({}), withdrawn],
        now: NOW,
        overdueDays: 15,
        caseHref: (id) => `/desk/case?c=${id}`,
      }),
    );
    const csv = casesCsv([withdrawn]);

    // Assess
    expect(stats).toMatchObject({ precision: 0.5, overdue: 0, withdrawn: 1 });
    expect(stats.towns[0]).toMatchObject({ closed: 2, withdrawn: 1 });
    expect(stats.codes[0]).toMatchObject({ reviewClosed: 2, outcomes: { WITHDRAWN: 1 } });
    expect(section).toContain('data-testid="case-withdrawn">1<');
    expect(section).toContain('复核后不再成立 1');
    expect(list).not.toContain('F-withdrawn');
    expect(list).toContain('data-testid="case-withdrawn-count"');
    expect(list).toContain('data-testid="case-open-count">1<');
    expect(csv.split('\r\n')[1]).toBe(
      `2026-11,shiqi,FINDING,EMPLOYED,${ID},DIBAO,CLOSED,WITHDRAWN,0.00,0.00,0.00,0.00,2026-11-01T00:00:00.000Z,${NOW},month-run:r2`,
    );
  });
});
