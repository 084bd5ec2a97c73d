import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { townMetrics } from '#domain/anomaly/town-metrics.ts';
import { townMetricsOfTotals } from '#domain/anomaly/town-metrics-of-totals.ts';
import { ReleaseTotalsTally } from '#domain/release/release-totals.ts';
import { CATEGORY_CODES, resolveCategory } from '#schemas/categories.ts';
import type { ReleasedPayment } from '#schemas/closeout.ts';

const TOWNS = [
  { code: 'shiqi', population: 71000 },
  { code: 'DQ02', population: 52000 },
  { code: 'nanqu', population: 0 },
];
/** `TownDirectory.resolve` for these towns: codes in any letter case and one Chinese name. */
const resolveTown = (value: string) =>
  value === '石岐街道' ? 'shiqi' : TOWNS.find((t) => t.code.toLowerCase() === value.toLowerCase())?.code;

const released = (p: { town: string; idNumber: string; category: string; amountFen: number }, i: number) =>
  ({
    paymentRef: `2026-10-shiqi-${String(i + 1).padStart(6, '0')}`,
    batch: 'shiqi',
    row: i + 1,
    idNumber: p.idNumber,
    name: '张三',
    accountNumber: '6222020200112233441',
    amountFen: p.amountFen,
    category: p.category,
    town: p.town,
  }) satisfies ReleasedPayment;

const totalsOf = (payments: readonly ReleasedPayment[]) => {
  const tally = new ReleaseTotalsTally();
  for (const p of payments) tally.add(p);
  return tally.totals('2026-10', '0'.repeat(64));
};

/** What ComputeMetrics computes from the payments themselves. */
const fromPayments = (payments: readonly ReleasedPayment[]) =>
  townMetrics(
    '2026-10',
    payments.map((p) => ({
      town: resolveTown(p.town) ?? p.town,
      idNumber: p.idNumber,
      category: resolveCategory(p.category),
      amountFen: p.amountFen,
    })),
    TOWNS,
  );

const payment = (towns: readonly string[], categories: readonly string[]) =>
  fc.record({
    town: fc.constantFrom(...towns),
    idNumber: fc.constantFrom('44200019800101123X', '442000198001011245', '442000198001011261', '4420001980'),
    category: fc.constantFrom(...categories),
    amountFen: fc.integer({ min: 0, max: 10_000_000 }),
  });

describe('townMetricsOfTotals', () => {
  it('gives the rows of the payments from the release totals, whenever each town and category is spelled one way', () => {
    // Canonical codes, a town not in towns.csv, a category not in table 2.2.
    const canonical = payment(['shiqi', 'DQ02', 'nanqu', 'xiqu'], [...CATEGORY_CODES, 'OTHER']);
    fc.assert(
      fc.property(fc.array(canonical, { maxLength: 120 }), (drawn) => {
        const payments = drawn.map(released);
        expect(townMetricsOfTotals('2026-10', totalsOf(payments), TOWNS, resolveTown)).toEqual(
          fromPayments(payments),
        );
      }),
    );
  });

  it('gives the same rows or none at all when a town or a category is spelled two ways', () => {
    // Any spelling: codes in other letter cases, a Chinese name, a category's label.
    const any = payment(
      ['shiqi', 'SHIQI', '石岐街道', 'DQ02', 'dq02', 'xiqu'],
      ['DIBAO', 'dibao', '低保', 'ELDERLY', ''],
    );
    fc.assert(
      fc.property(fc.array(any, { maxLength: 120 }), (drawn) => {
        const payments = drawn.map(released);
        const rows = townMetricsOfTotals('2026-10', totalsOf(payments), TOWNS, resolveTown);
        if (rows !== undefined) expect(rows).toEqual(fromPayments(payments));
      }),
    );
  });

  it('gives none when one town is paid under two spellings, or from totals written without the towns’ categories', () => {
    // Prepare
    const payments = [
      { town: 'shiqi', idNumber: '44200019800101123X', category: 'DIBAO', amountFen: 100 },
      { town: 'SHIQI', idNumber: '44200019800101123X', category: 'DIBAO', amountFen: 200 },
    ].map(released);
    const { byTownCategory: _written, ...before } = totalsOf(payments.slice(0, 1));

    // Act & Assess
    expect(townMetricsOfTotals('2026-10', totalsOf(payments), TOWNS, resolveTown)).toBeUndefined();
    expect(townMetricsOfTotals('2026-10', before, TOWNS, resolveTown)).toBeUndefined();
    expect(townMetricsOfTotals('2026-10', totalsOf(payments.slice(0, 1)), TOWNS, resolveTown)).toEqual(
      fromPayments(payments.slice(0, 1)),
    );
  });
});
