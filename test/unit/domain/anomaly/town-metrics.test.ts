import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TownMetricsTally, townMetrics } from '#domain/anomaly/town-metrics.ts';
import { CATEGORY_CODES } from '#schemas/categories.ts';

const TOWNS = [
  { code: 'shiqi', population: 71000 },
  { code: 'DQ02', population: 52000 },
  { code: 'nanqu', population: 0 },
];
const ID_1 = '44200019800101123X';
const ID_2 = '442000198001011245';

describe('townMetrics', () => {
  it('gives each town of towns.csv, in its order, its all-categories row then one per category it paid', () => {
    // Prepare
    const payments = [
      { town: 'DQ02', idNumber: ID_1, category: 'ELDERLY' as const, amountFen: 20_000 },
      { town: 'DQ02', idNumber: ID_2, category: 'DIBAO' as const, amountFen: 120_050 },
      { town: 'shiqi', idNumber: ID_2, category: 'DIBAO' as const, amountFen: 52_000 },
    ];

    // Act
    const rows = townMetrics('2026-10', payments, TOWNS);

    // Assess
    expect(rows).toEqual([
      { month: '2026-10', town: 'shiqi', recipients: 1, totalAmountFen: 52_000, population: 71000 },
      {
        month: '2026-10',
        town: 'shiqi',
        category: 'DIBAO',
        recipients: 1,
        totalAmountFen: 52_000,
        population: 71000,
      },
      { month: '2026-10', town: 'DQ02', recipients: 2, totalAmountFen: 140_050, population: 52000 },
      {
        month: '2026-10',
        town: 'DQ02',
        category: 'DIBAO',
        recipients: 1,
        totalAmountFen: 120_050,
        population: 52000,
      },
      {
        month: '2026-10',
        town: 'DQ02',
        category: 'ELDERLY',
        recipients: 1,
        totalAmountFen: 20_000,
        population: 52000,
      },
      { month: '2026-10', town: 'nanqu', recipients: 0, totalAmountFen: 0, population: 0 },
    ]);
  });

  it('counts a person paid in two categories once for the town and once in each category', () => {
    // Prepare
    const payments = [
      { town: 'shiqi', idNumber: ID_1, category: 'DIBAO' as const, amountFen: 52_000 },
      { town: 'shiqi', idNumber: ID_1, category: 'DISABILITY_LIVING' as const, amountFen: 30_000 },
      { town: 'shiqi', idNumber: ID_2, category: 'DIBAO' as const, amountFen: 65_000 },
    ];

    // Act
    const [shiqi, dibao, disability] = townMetrics('2026-10', payments, TOWNS);

    // Assess
    expect(shiqi).toMatchObject({ recipients: 2, totalAmountFen: 147_000 });
    expect(dibao).toMatchObject({ category: 'DIBAO', recipients: 2, totalAmountFen: 117_000 });
    expect(disability).toMatchObject({
      category: 'DISABILITY_LIVING',
      recipients: 1,
      totalAmountFen: 30_000,
    });
  });

  it('counts a payment without a category code for the town only', () => {
    // Act
    const rows = townMetrics(
      '2026-10',
      [{ town: 'shiqi', idNumber: ID_1, category: undefined, amountFen: 100 }],
      TOWNS,
    );

    // Assess
    expect(rows.filter((r) => r.town === 'shiqi')).toEqual([
      { month: '2026-10', town: 'shiqi', recipients: 1, totalAmountFen: 100, population: 71000 },
    ]);
  });

  it('leaves out payments to a town code not in towns.csv, also one in another letter case', () => {
    // Prepare
    const payments = [
      { town: 'xiqu', idNumber: ID_1, category: 'DIBAO' as const, amountFen: 52_000 },
      { town: 'dq02', idNumber: ID_2, category: 'DIBAO' as const, amountFen: 65_000 },
    ];

    // Act
    const rows = townMetrics('2026-10', payments, TOWNS);

    // Assess
    expect(rows.map((r) => [r.town, r.recipients, r.totalAmountFen])).toEqual([
      ['shiqi', 0, 0],
      ['DQ02', 0, 0],
      ['nanqu', 0, 0],
    ]);
  });

  it('rejects an amount that is not whole fen', () => {
    // Act
    const act = () =>
      townMetrics('2026-10', [{ town: 'shiqi', idNumber: ID_1, category: 'DIBAO', amountFen: 520.5 }], TOWNS);

    // Assess
    expect(act).toThrow(RangeError);
  });

  it('keeps every fen of the known towns, in the towns and in their categories, counting distinct people', () => {
    const payment = fc.record({
      town: fc.constantFrom('shiqi', 'DQ02', 'nanqu', 'xiqu'),
      idNumber: fc.constantFrom(ID_1, ID_2, '442000198001011261', '442000198001011288'),
      category: fc.constantFrom(...CATEGORY_CODES),
      amountFen: fc.integer({ min: 1, max: 10_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(payment, { maxLength: 60 }), (payments) => {
        // Prepare
        const known = payments.filter((p) => p.town !== 'xiqu');

        // Act
        const rows = townMetrics('2026-10', payments, TOWNS);

        // Assess
        const all = rows.filter((r) => r.category === undefined);
        const byCategory = rows.filter((r) => r.category !== undefined);
        const sum = (xs: typeof rows) => xs.reduce((n, r) => n + r.totalAmountFen, 0);
        expect(sum(all)).toBe(known.reduce((n, p) => n + p.amountFen, 0));
        expect(sum(byCategory)).toBe(sum(all));
        for (const row of rows) {
          const mine = known.filter(
            (p) => p.town === row.town && (row.category === undefined || p.category === row.category),
          );
          expect(row.recipients).toBe(new Set(mine.map((p) => p.idNumber)).size);
        }
        expect(byCategory.every((r) => r.recipients > 0)).toBe(true);
      }),
    );
  });
});

/** `townMetrics` as it was before its tally: every payment in an array, distinct payees in string sets. */
function townMetricsReference(
  month: string,
  payments: readonly Parameters<typeof townMetrics>[1][number][],
  towns: readonly { code: string; population: number }[],
) {
  const byTown = new Map<
    string,
    { all: { ids: Set<string>; fen: number }; byCategory: Map<string, { ids: Set<string>; fen: number }> }
  >();
  for (const town of towns) {
    if (!byTown.has(town.code))
      byTown.set(town.code, { all: { ids: new Set(), fen: 0 }, byCategory: new Map() });
  }
  for (const p of payments) {
    const town = byTown.get(p.town);
    if (town === undefined) continue;
    const sums = [town.all];
    if (p.category !== undefined) {
      const category = town.byCategory.get(p.category) ?? { ids: new Set<string>(), fen: 0 };
      town.byCategory.set(p.category, category);
      sums.push(category);
    }
    for (const s of sums) {
      s.ids.add(p.idNumber);
      s.fen += p.amountFen;
    }
  }
  return towns.flatMap((town) => {
    const { all, byCategory } = byTown.get(town.code) as NonNullable<ReturnType<typeof byTown.get>>;
    const row = (s: { ids: Set<string>; fen: number }) => ({
      recipients: s.ids.size,
      totalAmountFen: s.fen,
      population: town.population,
    });
    return [
      { month, town: town.code, ...row(all) },
      ...CATEGORY_CODES.flatMap((category) => {
        const s = byCategory.get(category);
        return s === undefined ? [] : [{ month, town: town.code, category, ...row(s) }];
      }),
    ];
  });
}

describe('TownMetricsTally', () => {
  it('adds up payment by payment exactly what the whole-array computation gives, IDs of any spelling', () => {
    const payment = fc.record({
      town: fc.constantFrom('shiqi', 'DQ02', 'nanqu', 'xiqu'),
      idNumber: fc.oneof(
        fc.constantFrom(ID_1, ID_2, '44200019800101123x', '44200019800101'),
        fc.stringMatching(/^\d{17}[\dX]$/),
      ),
      category: fc.option(fc.constantFrom(...CATEGORY_CODES), { nil: undefined }),
      amountFen: fc.integer({ min: 0, max: 10_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(payment, { maxLength: 200 }), (payments) => {
        // Act
        const tally = new TownMetricsTally(TOWNS);
        for (const p of payments) tally.add(p);

        // Assess
        expect(tally.rows('2026-10')).toEqual(townMetricsReference('2026-10', payments, TOWNS));
      }),
    );
  });
});
