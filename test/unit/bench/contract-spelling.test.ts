import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idCheckCharacter } from '#domain/id-number.ts';
import { DEFAULT_PIPELINE_CONFIG } from '#domain/month-check/pipeline-config.ts';
import {
  bankReturnFile,
  partnerFile,
  registerFile,
  registryFile,
  rosterUpload,
  townsFile,
} from '#schemas/bucket-layout.ts';
import { CATEGORIES } from '#schemas/categories.ts';
import { dateFromDays, daysFromDate } from '#schemas/dataset-values.ts';
import { CHECK_SEVERITIES } from '#schemas/finding-codes.ts';
import { formatFen } from '#schemas/money.ts';
import { lastDayOfMonth, previousMonth } from '#schemas/month.ts';
import { paymentRef } from '#schemas/payment-ref.ts';
import { contractKeys } from '../../../bench/contract/bucket-keys.ts';
import { dayDate, dayNumber, monthBefore, monthEnd } from '../../../bench/contract/calendar.ts';
import { CONTRACT_CATEGORIES } from '../../../bench/contract/categories.ts';
import { CHECK_CODES } from '../../../bench/contract/check-codes.ts';
import { residentIdCheck } from '../../../bench/contract/id-check.ts';
import { paymentRefOf } from '../../../bench/contract/payment-ref.ts';
import { CONTRACT_THRESHOLDS } from '../../../bench/contract/thresholds.ts';
import { yuan } from '../../../bench/contract/yuan.ts';

// The bench spells the contract a second time on purpose (its generator and DuckDB twin must not
// share a mistake with the pipeline); these tests keep the two spellings saying the same thing.

const month = fc
  .record({ year: fc.integer({ min: 1901, max: 2099 }), month: fc.integer({ min: 1, max: 12 }) })
  .map((m) => `${m.year}-${String(m.month).padStart(2, '0')}`);

describe("the bench's spelling of the contract", () => {
  it('computes the ID check character as the pipeline does', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}$/), (first17) => {
        expect(residentIdCheck(first17)).toBe(idCheckCharacter(first17));
      }),
    );
  });

  it('writes yuan, dates, months and payment references as the pipeline does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (fen) => {
        expect(yuan(fen)).toBe(formatFen(fen));
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: -25_000, max: 50_000 }), (day) => {
        expect(dayDate(day)).toBe(dateFromDays(day));
        expect(dayNumber(dayDate(day))).toBe(daysFromDate(dateFromDays(day)));
      }),
    );
    fc.assert(
      fc.property(month, (m) => {
        expect(monthBefore(m)).toBe(previousMonth(m));
        expect(monthEnd(m)).toBe(lastDayOfMonth(m));
      }),
    );
    fc.assert(
      fc.property(
        month,
        fc.stringMatching(/^[a-z0-9-]{1,12}$/),
        fc.integer({ min: 1, max: 9_999_999 }),
        (m, b, r) => {
          expect(paymentRefOf(m, b, r)).toBe(paymentRef(m, b, r));
        },
      ),
    );
  });

  it('names the same bucket keys, categories, check codes and thresholds', () => {
    expect(contractKeys.towns).toBe(townsFile.key());
    expect(contractKeys.registry).toBe(registryFile.key());
    for (const register of ['staff-relatives', 'proxy-accounts'] as const) {
      expect(contractKeys.register(register)).toBe(registerFile.key({ register }));
    }
    expect(contractKeys.partnerFolder('deaths')).toBe(partnerFile.folder({ dataset: 'deaths' }));
    expect(contractKeys.partnerFile('deaths', 'a.csv')).toBe(
      partnerFile.key({ dataset: 'deaths', file: 'a.csv' }),
    );
    expect(contractKeys.rosterFolder('2026-10')).toBe(rosterUpload.folder({ month: '2026-10' }));
    expect(contractKeys.roster('2026-10', 'shiqi', 'r.csv')).toBe(
      rosterUpload.key({ month: '2026-10', batch: 'shiqi', file: 'r.csv' }),
    );
    expect(contractKeys.bankReturnsFolder('2026-10')).toBe(bankReturnFile.folder({ month: '2026-10' }));
    expect(contractKeys.bankReturn('2026-10', 'b.csv')).toBe(
      bankReturnFile.key({ month: '2026-10', file: 'b.csv' }),
    );
    expect(CONTRACT_CATEGORIES).toEqual(CATEGORIES);
    expect(CHECK_CODES).toEqual(Object.entries(CHECK_SEVERITIES));
    expect(CONTRACT_THRESHOLDS).toEqual({
      employedContributionBaseFen: DEFAULT_PIPELINE_CONFIG.employedContributionBaseFen,
      pensionIncomeFen: DEFAULT_PIPELINE_CONFIG.pensionIncomeFen,
    });
  });
});
