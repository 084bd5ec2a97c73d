import { describe, expect, it } from 'vitest';
import { checkMonth } from '#domain/month-check/check-month.ts';
import type { SocialInsuranceRecord } from '#domain/month-check/records.ts';
import type { CategoryCode } from '#schemas/categories.ts';
import { monthInput, payee, registryFor, socialInsurance, withCode } from './fixtures.ts';

const employedFindings = (
  records: SocialInsuranceRecord[],
  category: CategoryCode = 'DIBAO',
  thresholdFen = 230_000,
) => {
  const row = payee({ category });
  const input = monthInput({ payees: [row], registry: [registryFor(row)], 'social-insurance': records });
  return withCode(
    checkMonth({ ...input, config: { ...input.config, employedContributionBaseFen: thresholdFen } }),
    'EMPLOYED',
  );
};

describe('employed', () => {
  it('sends a means-tested payee contributing at the threshold to review, citing month, employer, base and file', () => {
    // Act
    const findings = employedFindings([socialInsurance({ contributionBaseFen: 230_000 })]);

    // Assess
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'REVIEW',
        detail:
          '2026-10 参保单位 某某厂，缴费基数 2300.00，不低于 2300.00（partners/social-insurance/2026-10.csv） / 2026-10 employer 某某厂, contribution base 2300.00 >= 2300.00 (partners/social-insurance/2026-10.csv)',
      }),
    ]);
  });

  it('gives nothing one fen below the threshold', () => {
    // Act
    const findings = employedFindings([socialInsurance({ contributionBaseFen: 229_999 })]);

    // Assess
    expect(findings).toEqual([]);
  });

  it('counts the month before, not two months before nor the month after', () => {
    // Prepare
    const at = (month: string) => [socialInsurance({ month, contributionBaseFen: 500_000 })];

    // Act
    const counts = ['2026-08', '2026-09', '2026-10', '2026-11'].map((m) => employedFindings(at(m)).length);

    // Assess
    expect(counts).toEqual([0, 1, 1, 0]);
  });

  it('counts the December before a January payment month', () => {
    // Prepare
    const row = payee();
    const input = monthInput({
      payees: [row],
      registry: [registryFor(row)],
      'social-insurance': [socialInsurance({ month: '2026-12', contributionBaseFen: 500_000 })],
    });

    // Act
    const findings = checkMonth({ ...input, config: { ...input.config, month: '2027-01' } });

    // Assess
    expect(withCode(findings, 'EMPLOYED')).toHaveLength(1);
  });

  it('ignores an empty contribution base and honours a configured threshold', () => {
    // Act
    const empty = employedFindings([socialInsurance({ pensionAmountFen: 900_000 })]);
    const configured = employedFindings(
      [socialInsurance({ contributionBaseFen: 250_000 })],
      'DIBAO',
      260_000,
    );

    // Assess
    expect([empty, configured]).toEqual([[], []]);
  });

  it('cites the payment month over the month before, then the highest base', () => {
    // Act
    const findings = employedFindings([
      socialInsurance({ month: '2026-09', contributionBaseFen: 900_000, employer: '甲' }),
      socialInsurance({ contributionBaseFen: 300_000, employer: '乙' }),
      socialInsurance({ contributionBaseFen: 400_000, employer: '丙' }),
    ]);

    // Assess
    expect(findings).toHaveLength(1);
    expect(findings[0]?.detail).toContain('2026-10 参保单位 丙，缴费基数 4000.00');
  });

  it('skips a non-means-tested category', () => {
    // Act
    const findings = employedFindings([socialInsurance({ contributionBaseFen: 900_000 })], 'ELDERLY');

    // Assess
    expect(findings).toEqual([]);
  });
});
