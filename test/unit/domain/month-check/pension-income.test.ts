import { describe, expect, it } from 'vitest';
import { checkMonth } from '#domain/month-check/check-month.ts';
import type { SocialInsuranceRecord } from '#domain/month-check/records.ts';
import type { CategoryCode } from '#schemas/categories.ts';
import { payee, registeredInput, socialInsurance, withCode } from './fixtures.ts';

const pensionFindings = (records: SocialInsuranceRecord[], category: CategoryCode = 'TEKUN') =>
  withCode(
    checkMonth(registeredInput([payee({ category })], { 'social-insurance': records })),
    'PENSION_INCOME',
  );

describe('pensionIncome', () => {
  it('sends a means-tested payee with a pension at the threshold to review, citing it', () => {
    // Act
    const findings = pensionFindings([socialInsurance({ month: '2026-09', pensionAmountFen: 150_000 })]);

    // Assess
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'REVIEW',
        detail:
          '2026-09 养老金 1500.00，不低于 1500.00（partners/social-insurance/2026-10.csv） / 2026-09 pension 1500.00 >= 1500.00 (partners/social-insurance/2026-10.csv)',
      }),
    ]);
  });

  it('gives nothing below the threshold or two months before', () => {
    // Act
    const below = pensionFindings([socialInsurance({ pensionAmountFen: 149_999 })]);
    const old = pensionFindings([socialInsurance({ month: '2026-08', pensionAmountFen: 900_000 })]);

    // Assess
    expect([below, old]).toEqual([[], []]);
  });

  it('skips a non-means-tested category', () => {
    // Act
    const findings = pensionFindings([socialInsurance({ pensionAmountFen: 900_000 })], 'DISABILITY_CARE');

    // Assess
    expect(findings).toEqual([]);
  });

  it('reports EMPLOYED and PENSION_INCOME from one record when both reach their thresholds', () => {
    // Prepare
    const records = [socialInsurance({ contributionBaseFen: 300_000, pensionAmountFen: 200_000 })];

    // Act
    const codes = checkMonth(registeredInput([payee()], { 'social-insurance': records })).map((f) => f.code);

    // Assess
    expect(codes).toEqual(['EMPLOYED', 'PENSION_INCOME']);
  });
});
