import { describe, expect, it } from 'vitest';
import { checkMonth } from '#domain/month-check/check-month.ts';
import type { DeathRecord } from '#domain/month-check/records.ts';
import type { Finding } from '#schemas/finding.ts';
import { cremation, death, ID_B, payee, registeredInput } from './fixtures.ts';

/** The death findings of one payee with these death and cremation records. */
const deathFindings = (records: DeathRecord[]): Finding[] =>
  checkMonth(
    registeredInput([payee()], {
      deaths: records.flatMap((r) => (r.kind === 'death' ? [r] : [])),
      cremations: records.flatMap((r) => (r.kind === 'cremation' ? [r] : [])),
    }),
  ).filter((f) => f.code === 'DECEASED' || f.code === 'DIED_IN_MONTH');

describe('deathFinding', () => {
  it('blocks a payee who died before the month, citing the record', () => {
    // Act
    const findings = deathFindings([death({ date: '2026-09-14' })]);

    // Assess
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'DECEASED',
        severity: 'BLOCK',
        detail:
          '死亡登记 2026-09-14（partners/deaths/2026-10.csv） / death record 2026-09-14 (partners/deaths/2026-10.csv)',
      }),
    ]);
  });

  it.each([
    ['2026-09-30', 'DECEASED'],
    ['2026-10-01', 'DIED_IN_MONTH'],
    ['2026-10-31', 'DIED_IN_MONTH'],
  ])('classes a death on %s as %s', (date, code) => {
    // Act
    const findings = deathFindings([death({ date })]);

    // Assess
    expect(findings.map((f) => f.code)).toEqual([code]);
  });

  it('sends a death inside the month to review', () => {
    // Act
    const findings = deathFindings([death({ date: '2026-10-01' })]);

    // Assess
    expect(findings[0]?.severity).toBe('REVIEW');
  });

  it('gives nothing for a date after the month', () => {
    // Act
    const findings = deathFindings([death({ date: '2026-11-01' })]);

    // Assess
    expect(findings).toEqual([]);
  });

  it('counts the earliest date of both sources and cites both, earliest first', () => {
    // Prepare
    const deaths = [death({ date: '2026-10-05' }), cremation({ date: '2026-09-30' })];

    // Act
    const findings = deathFindings(deaths);

    // Assess
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'DECEASED',
        detail:
          '火化记录 2026-09-30（partners/cremations/home-1.csv）；死亡登记 2026-10-05（partners/deaths/2026-10.csv） / cremation record 2026-09-30 (partners/cremations/home-1.csv); death record 2026-10-05 (partners/deaths/2026-10.csv)',
      }),
    ]);
  });

  it('counts a cremation record alone', () => {
    // Act
    const findings = deathFindings([cremation({ date: '2026-10-20' })]);

    // Assess
    expect(findings.map((f) => f.code)).toEqual(['DIED_IN_MONTH']);
  });

  it('takes the earliest of several records of one source', () => {
    // Act
    const findings = deathFindings([
      death({ date: '2026-10-03' }),
      death({ date: '2026-09-02', source: 'b.csv' }),
    ]);

    // Assess
    expect(findings.map((f) => f.code)).toEqual(['DECEASED']);
    expect(findings[0]?.detail).toContain('2026-09-02（b.csv）');
  });

  it("ignores another person's record", () => {
    // Act
    const findings = deathFindings([death({ idNumber: ID_B })]);

    // Assess
    expect(findings).toEqual([]);
  });
});
