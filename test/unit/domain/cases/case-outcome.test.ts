import { describe, expect, it } from 'vitest';
import { applyOutcome } from '#domain/cases/case-outcome.ts';
import type { CaseRecord } from '#schemas/case.ts';

const open = (overrides: Partial<CaseRecord> = {}): CaseRecord => ({
  caseId: 'F-0123456789abcdef',
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
  openedAt: '2026-11-02T08:00:00.000Z',
  version: 1,
  ...overrides,
});

describe('applyOutcome', () => {
  it('closes a REVIEW case confirmed a problem, with its money, raising the version', () => {
    // Act
    const result = applyOutcome(
      open(),
      {
        outcome: 'PROBLEM_CONFIRMED',
        action: 'STOP_NEXT_MONTH',
        rootCause: 'VERIFICATION',
        money: { overpaidFen: 354_000, underpaidFen: 0, wronglyPaidFen: 0, recoveredFen: 118_000 },
      },
      'li.town',
      '2026-11-10T09:00:00.000Z',
    );

    // Assess
    expect(result.ok && result.record).toEqual(
      expect.objectContaining({
        status: 'CLOSED',
        outcome: 'PROBLEM_CONFIRMED',
        money: { overpaidFen: 354_000, underpaidFen: 0, wronglyPaidFen: 0, recoveredFen: 118_000 },
        closedBy: 'li.town',
        closedAt: '2026-11-10T09:00:00.000Z',
        version: 2,
      }),
    );
  });

  it.each([
    ['a BLOCK outcome on a REVIEW case', open(), { outcome: 'STOPPED' as const }, 'STOPPED'],
    [
      'a REVIEW outcome on a BLOCK case',
      open({ severity: 'BLOCK' }),
      { outcome: 'CONFIRMED_IN_ORDER' as const, note: 'ok' },
      'CONFIRMED_IN_ORDER',
    ],
    [
      'a finding outcome on a visit',
      open({ kind: 'VISIT', severity: undefined }),
      { outcome: 'STOPPED' as const },
      'STOPPED',
    ],
  ])('refuses %s with a bilingual reason', (_, c, input, code) => {
    // Act
    const result = applyOutcome(c, input, 'li.town', '2026-11-10T09:00:00.000Z');

    // Assess
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reasons.join(' ')).toContain(`outcome ${code} is not allowed for this case`);
  });

  it('refuses a closed case and money recovered beyond what was paid too much', () => {
    // Act
    const closed = applyOutcome(
      open({ status: 'CLOSED', closedAt: '2026-11-05T00:00:00.000Z', closedBy: 'wang' }),
      { outcome: 'DATA_ERROR_CORRECTED' },
      'li.town',
      '2026-11-10T09:00:00.000Z',
    );
    const tooMuch = applyOutcome(
      open({ severity: 'BLOCK' }),
      {
        outcome: 'STOPPED',
        money: { overpaidFen: 100, underpaidFen: 0, wronglyPaidFen: 0, recoveredFen: 101 },
      },
      'li.town',
      '2026-11-10T09:00:00.000Z',
    );

    // Assess
    expect(!closed.ok && closed.reasons.join(' ')).toContain('already closed');
    expect(!tooMuch.ok && tooMuch.reasons.join(' ')).toContain('money recovered cannot exceed');
  });
});
