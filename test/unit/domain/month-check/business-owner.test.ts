import { describe, expect, it } from 'vitest';
import { checkMonth } from '#domain/month-check/check-month.ts';
import type { BusinessRecord } from '#domain/month-check/records.ts';
import type { CategoryCode } from '#schemas/categories.ts';
import { business, payee, registeredInput, withCode } from './fixtures.ts';

const businessFindings = (records: BusinessRecord[], category: CategoryCode = 'DIBAO') =>
  withCode(checkMonth(registeredInput([payee({ category })], { business: records })), 'BUSINESS_OWNER');

describe('businessOwner', () => {
  it('sends a means-tested payee with an active business to review, citing it', () => {
    // Act
    const findings = businessFindings([business()]);

    // Assess
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'REVIEW',
        detail:
          '在营企业 某某商行（统一社会信用代码 91442000MA51234567，法定代表人）（partners/business/2026.csv） / active business 某某商行 (credit code 91442000MA51234567, role 法定代表人) (partners/business/2026.csv)',
      }),
    ]);
  });

  it.each(['CANCELLED', 'REVOKED'])('does not count a %s business', (status) => {
    // Act
    const findings = businessFindings([business({ status })]);

    // Assess
    expect(findings).toEqual([]);
  });

  it('cites the active record when a cancelled one comes first, and matches the status in any case', () => {
    // Act
    const findings = businessFindings([
      business({ status: 'CANCELLED', companyName: '旧店' }),
      business({ status: 'active', companyName: '新店' }),
    ]);

    // Assess
    expect(findings[0]?.detail).toContain('在营企业 新店');
  });

  it.each(['TEMPORARY', 'ELDERLY', 'CHILD', 'DISABILITY_LIVING', 'DISABILITY_CARE'] as const)(
    'skips the non-means-tested category %s',
    (category) => {
      // Act
      const findings = businessFindings([business()], category);

      // Assess
      expect(findings).toEqual([]);
    },
  );

  it.each(['TEKUN', 'DIBAO_EDGE', 'HARDSHIP'] as const)('checks the means-tested category %s', (category) => {
    // Act
    const findings = businessFindings([business()], category);

    // Assess
    expect(findings).toHaveLength(1);
  });
});
