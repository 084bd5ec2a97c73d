import { describe, expect, it } from 'vitest';
import { decideOpening } from '#domain/cases/case-memory.ts';
import { evidenceFingerprint } from '#domain/cases/evidence-fingerprint.ts';
import type { Clearance } from '#schemas/case.ts';

const ID = '44200019600101001X';
const EMPLOYED_OCT =
  '2026-09 参保单位 某某厂，缴费基数 3000.00，不低于 2300.00（partners/social-insurance/2026-09.csv） / 2026-09 employer 某某厂, contribution base 3000.00 >= 2300.00 (partners/social-insurance/2026-09.csv)';
const EMPLOYED_NOV =
  '2026-10 参保单位 某某厂，缴费基数 3000.00，不低于 2300.00（partners/social-insurance/2026-10.csv） / 2026-10 employer 某某厂, contribution base 3000.00 >= 2300.00 (partners/social-insurance/2026-10.csv)';
const EMPLOYED_ELSEWHERE =
  '2026-10 参保单位 另一厂，缴费基数 3000.00，不低于 2300.00（partners/social-insurance/2026-10.csv） / 2026-10 employer 另一厂, contribution base 3000.00 >= 2300.00 (partners/social-insurance/2026-10.csv)';

const clearedInOctober = (detail: string, overrides: Partial<Clearance> = {}): Clearance => ({
  code: 'EMPLOYED',
  idNumber: ID,
  category: 'DIBAO',
  evidenceFingerprint: evidenceFingerprint('EMPLOYED', detail),
  month: '2026-10',
  caseId: 'F-0123456789abcdef',
  officer: 'li.town',
  at: '2026-10-20T08:00:00.000Z',
  ...overrides,
});

const finding = (overrides: Partial<Parameters<typeof decideOpening>[0]> = {}) => ({
  month: '2026-11',
  code: 'EMPLOYED',
  severity: 'REVIEW' as const,
  idNumber: ID,
  category: 'DIBAO',
  ...overrides,
});

describe('decideOpening (the memory across months)', () => {
  it('does not reopen a REVIEW finding confirmed in order earlier on the same evidence, and says who cleared it', () => {
    // Prepare: the same employment record, read from next month's file
    const clearance = clearedInOctober(EMPLOYED_OCT);
    expect(evidenceFingerprint('EMPLOYED', EMPLOYED_NOV)).toBe(clearance.evidenceFingerprint);

    // Act
    const decision = decideOpening(finding(), clearance);

    // Assess
    expect(decision).toEqual({
      open: false,
      clearedBy: clearance,
      label: '2026-10 已由 li.town 核实无误 / cleared in 2026-10 by li.town',
    });
  });

  it('opens a case when the evidence is new: another employer has another fingerprint, so no clearance is found', () => {
    // Prepare
    const clearance = clearedInOctober(EMPLOYED_OCT);

    // Act
    const fingerprint = evidenceFingerprint('EMPLOYED', EMPLOYED_ELSEWHERE);
    const decision = decideOpening(finding(), undefined);

    // Assess
    expect(fingerprint).not.toBe(clearance.evidenceFingerprint);
    expect(decision).toEqual({ open: true });
  });

  it('never suppresses a BLOCK finding, whatever was cleared', () => {
    // Act
    const decision = decideOpening(
      finding({ code: 'DECEASED', severity: 'BLOCK' }),
      clearedInOctober(EMPLOYED_OCT, { code: 'DECEASED' }),
    );

    // Assess
    expect(decision).toEqual({ open: true });
  });

  it.each([
    ['another person', { idNumber: '442000196001010028' }],
    ['another category', { category: 'TEKUN' }],
    ['another code', { code: 'PENSION_INCOME' }],
    ['the same month (a re-run)', { month: '2026-10' }],
  ])('opens a case when the clearance is of %s', (_, overrides) => {
    // Act
    const decision = decideOpening(finding(overrides), clearedInOctober(EMPLOYED_OCT));

    // Assess
    expect(decision).toEqual({ open: true });
  });
});

describe('evidenceFingerprint', () => {
  it('ignores where the evidence was read (file, line) but not what it says', () => {
    // Prepare
    const line17 =
      '救助对象库姓名 张三，名册姓名 张叁（reference/registry.csv 第 17 行） / registry name 张三, roster 张叁 (reference/registry.csv line 17)';
    const line90 = line17.replaceAll('17', '90');
    const otherName = line17.replaceAll('张叁', '章三');

    // Act / Assess
    expect(evidenceFingerprint('NAME_MISMATCH', line90)).toBe(evidenceFingerprint('NAME_MISMATCH', line17));
    expect(evidenceFingerprint('NAME_MISMATCH', otherName)).not.toBe(
      evidenceFingerprint('NAME_MISMATCH', line17),
    );
  });

  it('tells shared-account findings apart by the households sharing the account', () => {
    // Prepare
    const two = '账号 ****4567 由 2 户共用：H001、H002 / account ****4567 used by 2 households: H001, H002';
    const three =
      '账号 ****4567 由 3 户共用：H001、H002、H003 / account ****4567 used by 3 households: H001, H002, H003';

    // Act / Assess
    expect(evidenceFingerprint('SHARED_ACCOUNT', three)).not.toBe(evidenceFingerprint('SHARED_ACCOUNT', two));
  });

  it('keeps the date of a death record (a date is evidence, a record month is not)', () => {
    // Prepare
    const a =
      '死亡登记 2026-10-14（partners/deaths/2026-10.csv） / death record 2026-10-14 (partners/deaths/2026-10.csv)';
    const b = a.replaceAll('2026-10-14', '2026-10-15');

    // Act / Assess
    expect(evidenceFingerprint('DIED_IN_MONTH', a)).not.toBe(evidenceFingerprint('DIED_IN_MONTH', b));
  });
});
