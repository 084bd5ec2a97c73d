import { describe, expect, it } from 'vitest';
import { keyFindings } from '#domain/cases/case-key.ts';
import { CaseFindingTally, isWithdrawable, reopenCase, withdrawCase } from '#domain/cases/case-withdrawal.ts';
import type { CaseRecord } from '#schemas/case.ts';
import type { Finding } from '#schemas/finding.ts';

const f = (overrides: Partial<Finding>): Finding => ({
  month: '2026-11',
  batch: 'sanjiao',
  row: 1,
  idNumber: '44200019600101001X',
  category: 'DIBAO',
  code: 'MISSING_PAYMENT',
  severity: 'BLOCK',
  detail: 'd',
  ...overrides,
});

/** The case a finding opened, as stored. */
const caseOf = (finding: Finding, caseId: string, overrides: Partial<CaseRecord> = {}): CaseRecord => ({
  caseId,
  month: finding.month,
  town: finding.batch,
  kind: 'FINDING',
  code: finding.code,
  severity: finding.severity,
  idNumber: finding.idNumber ?? '',
  category: finding.category ?? '',
  detail: finding.detail,
  status: 'OPEN',
  money: { overpaidFen: 0, underpaidFen: 0, wronglyPaidFen: 0, recoveredFen: 0 },
  openedAt: '2026-12-01T00:00:00.000Z',
  version: 1,
  ...overrides,
});

const opened = (findings: Finding[]) => keyFindings(findings).map((k) => caseOf(k.finding, k.caseId));

describe('CaseFindingTally', () => {
  it('finds the cases whose (month, code, id_number, category) the newer run still has, whatever the row', () => {
    // Prepare
    const first = [f({ idNumber: 'A' }), f({ idNumber: 'B' }), f({ idNumber: 'C', code: 'NAME_MISMATCH' })];
    const cases = opened(first);
    const tally = new CaseFindingTally(cases);

    // Act: the newer run keeps A (on another row) and C with another category
    for (const finding of [
      f({ idNumber: 'A', row: 40 }),
      f({ idNumber: 'C', code: 'NAME_MISMATCH', category: 'TEKUN' }),
    ])
      tally.add(finding);

    // Assess
    expect(tally.found()).toEqual(new Set([cases[0]?.caseId]));
  });

  it('keeps as many cases of one key as the newer run has findings of it (the rows of a duplicate payment)', () => {
    // Prepare: three rows of one duplicate payment, then only two
    const dup = (row: number) => f({ code: 'DUPLICATE_PAYMENT', row });
    const cases = opened([dup(1), dup(2), dup(3)]);
    const tally = new CaseFindingTally(cases);

    // Act
    tally.add(dup(1));
    tally.add(dup(2));

    // Assess
    expect(tally.found()).toEqual(new Set([cases[0]?.caseId, cases[1]?.caseId]));
  });

  it('finds nothing when the newer run has none of the cases', () => {
    const tally = new CaseFindingTally(opened([f({ idNumber: 'A' })]));
    tally.add(f({ idNumber: 'Z' }));
    expect(tally.found().size).toBe(0);
  });
});

describe('withdrawCase / reopenCase', () => {
  it('closes an open finding case as WITHDRAWN by the run, one version up', () => {
    // Prepare
    const [open] = opened([f({})]);
    if (open === undefined) throw new Error('no case');

    // Act
    const withdrawn = withdrawCase(open, 'run-2', '2026-12-05T10:00:00.000Z');

    // Assess
    expect(withdrawn).toMatchObject({
      status: 'CLOSED',
      outcome: 'WITHDRAWN',
      closedBy: 'month-run:run-2',
      closedAt: '2026-12-05T10:00:00.000Z',
      version: 2,
    });
  });

  it('never withdraws a case an officer closed, nor a visit', () => {
    const [open] = opened([f({})]);
    if (open === undefined) throw new Error('no case');
    const closed = { ...open, status: 'CLOSED' as const, outcome: 'STOPPED' as const, closedBy: 'officer' };
    expect(isWithdrawable(closed)).toBe(false);
    expect(isWithdrawable({ ...open, kind: 'VISIT' })).toBe(false);
    expect(() => withdrawCase(closed, 'run-2', '2026-12-05T10:00:00.000Z')).toThrow(/not an open finding/);
  });

  it('opens a withdrawn case again as the newer run opens it, over the withdrawn version', () => {
    // Prepare
    const [open] = opened([f({})]);
    if (open === undefined) throw new Error('no case');
    const withdrawn = withdrawCase(open, 'run-2', '2026-12-05T10:00:00.000Z');
    const fresh = { ...open, detail: 'found again', openedAt: '2026-12-06T00:00:00.000Z' };

    // Act
    const again = reopenCase(withdrawn, fresh);

    // Assess
    expect(again).toMatchObject({ status: 'OPEN', detail: 'found again', version: 3 });
    expect(again.outcome).toBeUndefined();
    expect(again.closedBy).toBeUndefined();
    expect(() => reopenCase(open, fresh)).toThrow(/not withdrawn/);
  });
});
