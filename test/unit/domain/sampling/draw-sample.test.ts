import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SAMPLE_OPTIONS,
  drawSample,
  type SampleHousehold,
  type SampleOptions,
  type SampleRow,
} from '#domain/sampling/draw-sample.ts';

const household = (town: string, n: number, findingCodes: string[] = []): SampleHousehold => ({
  town,
  householdId: `H${String(n).padStart(4, '0')}`,
  idNumber: `44200019600101${String(n).padStart(4, '0')}`,
  findingCodes,
});

const town = (code: string, size: number, withFindings = 0): SampleHousehold[] =>
  Array.from({ length: size }, (_, i) => household(code, i + 1, i < withFindings ? ['DIED_IN_MONTH'] : []));

const options = (overrides: Partial<SampleOptions> = {}): SampleOptions => ({
  ...DEFAULT_SAMPLE_OPTIONS,
  seed: 'seed',
  ...overrides,
});

const ids = (rows: readonly SampleRow[], kind?: SampleRow['kind']) =>
  rows.filter((r) => kind === undefined || r.kind === kind).map((r) => `${r.town}/${r.householdId}`);

/** Towns of random sizes, each household once, some with findings. */
const householdsArbitrary = fc
  .array(
    fc.record({
      town: fc.constantFrom('shiqi', 'dongqu', 'xiaolan', 'nanlang'),
      id: fc.integer({ min: 1, max: 400 }),
      findings: fc.boolean(),
    }),
    { maxLength: 300 },
  )
  .map((raw) => {
    const seen = new Map<string, SampleHousehold>();
    for (const r of raw)
      seen.set(`${r.town}/${r.id}`, household(r.town, r.id, r.findings ? ['EMPLOYED'] : []));
    return [...seen.values()];
  });

const optionsArbitrary = fc.record({
  seed: fc.string({ minLength: 1 }),
  share: fc.double({ min: 0.001, max: 1, noNaN: true }),
  minPerTown: fc.integer({ min: 0, max: 10 }),
  findingsWeight: fc.double({ min: 1, max: 20, noNaN: true }),
  spareShare: fc.double({ min: 0, max: 2, noNaN: true }),
});

describe('drawSample', () => {
  it('uses the bureau defaults', () => {
    expect(DEFAULT_SAMPLE_OPTIONS).toEqual({
      share: 0.02,
      minPerTown: 3,
      findingsWeight: 3,
      spareShare: 0.2,
    });
  });

  it('gives the same sample for the same seed and data, whatever the input order (property)', () => {
    fc.assert(
      fc.property(householdsArbitrary, optionsArbitrary, fc.integer(), (households, opts, shuffleSeed) => {
        // Prepare
        const shuffled = households
          .map((h, i) => ({ h, k: Math.sin(shuffleSeed + i) }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.h);
        // Act
        const first = drawSample(households, opts);
        const again = drawSample(households, opts);
        const fromShuffled = drawSample(shuffled, opts);
        // Assess
        expect(again).toEqual(first);
        expect(fromShuffled).toEqual(first);
      }),
    );
  });

  it('gives a different sample for a different seed (property; 10 of 500 households)', () => {
    const households = town('shiqi', 500);
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => {
        fc.pre(a !== b);
        // Act
        const sampleA = ids(drawSample(households, options({ seed: a })), 'VISIT');
        const sampleB = ids(drawSample(households, options({ seed: b })), 'VISIT');
        // Assess: the same 10 of 500 by chance is about 1 in 2.5·10^20.
        expect(sampleA).not.toEqual(sampleB);
      }),
    );
  });

  it('draws max(min, ⌈share·n⌉) visits per town (all when fewer) and disjoint replacements (property)', () => {
    fc.assert(
      fc.property(householdsArbitrary, optionsArbitrary, (households, opts) => {
        // Act
        const rows = drawSample(households, opts);
        // Assess
        const towns = [...new Set(households.map((h) => h.town))].sort();
        expect([...new Set(rows.map((r) => r.town))]).toEqual(towns);
        expect(new Set(ids(rows)).size).toBe(rows.length);
        for (const code of towns) {
          const n = households.filter((h) => h.town === code).length;
          const mine = rows.filter((r) => r.town === code);
          const visits = Math.min(
            n,
            Math.max(opts.minPerTown, Math.ceil(Number((opts.share * n).toPrecision(12)))),
          );
          const left = n - visits;
          const spares =
            left === 0
              ? 0
              : Math.min(left, Math.max(1, Math.ceil(Number((opts.spareShare * visits).toPrecision(12)))));
          expect(mine.map((r) => r.kind)).toEqual([
            ...new Array(visits).fill('VISIT'),
            ...new Array(spares).fill('REPLACEMENT'),
          ]);
          expect(mine.map((r) => r.rank)).toEqual(mine.map((_, i) => i + 1));
          for (const r of mine) {
            const source = households.find((h) => h.town === code && h.householdId === r.householdId);
            expect(r.idNumber).toBe(source?.idNumber);
          }
        }
      }),
    );
  });

  it('rounds ⌈share·n⌉ without float noise: 7 % of 100 households is 7 visits, with 2 replacements', () => {
    // Act
    const rows = drawSample(town('shiqi', 100), options({ share: 0.07, minPerTown: 0 }));
    // Assess: 0.07 × 100 is 7.000000000000001 in floating point.
    expect(ids(rows, 'VISIT')).toHaveLength(7);
    expect(ids(rows, 'REPLACEMENT')).toHaveLength(2);
  });

  it('lists at least one replacement when households are left, none when all are visited', () => {
    // Act
    const small = drawSample(town('shiqi', 4), options({ spareShare: 0 }));
    const tiny = drawSample(town('shiqi', 2), options());
    // Assess
    expect(small.map((r) => r.kind)).toEqual(['VISIT', 'VISIT', 'VISIT', 'REPLACEMENT']);
    expect(tiny.map((r) => r.kind)).toEqual(['VISIT', 'VISIT']);
  });

  it('never changes one town by the data of another (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 300 }),
        fc.string({ minLength: 1 }),
        (shiqi, before, after, seed) => {
          // Prepare
          const stable = town('shiqi', shiqi);
          // Act
          const a = drawSample([...town('dongqu', before, before >> 1), ...stable], options({ seed }));
          const b = drawSample(
            [...stable, ...town('dongqu', after), ...town('xiaolan', 5)],
            options({ seed }),
          );
          // Assess
          expect(b.filter((r) => r.town === 'shiqi')).toEqual(a.filter((r) => r.town === 'shiqi'));
        },
      ),
    );
  });

  it('draws households with findings more often (1000 fixed seeds: a deterministic statistic)', () => {
    // Prepare: 100 households, 10 with findings; 10 visits a draw.
    const households = town('shiqi', 100, 10);
    const rate = (findingsWeight: number) => {
      let withFindings = 0;
      let without = 0;
      for (let s = 0; s < 1000; s++) {
        for (const r of drawSample(households, options({ seed: `seed-${s}`, share: 0.1, findingsWeight }))) {
          if (r.kind !== 'VISIT') continue;
          if (Number(r.householdId.slice(1)) <= 10) withFindings++;
          else without++;
        }
      }
      return { withFindings: withFindings / (1000 * 10), without: without / (1000 * 90) };
    };
    // Act
    const weighted = rate(3);
    const unweighted = rate(1);
    // Assess: weight 3 gives about 0.25 against 0.08 (ratio ~3); weight 1 gives 0.1 each.
    expect(weighted.withFindings / weighted.without).toBeGreaterThan(2);
    expect(weighted.withFindings / weighted.without).toBeLessThan(4.5);
    expect(unweighted.withFindings / unweighted.without).toBeGreaterThan(0.8);
    expect(unweighted.withFindings / unweighted.without).toBeLessThan(1.25);
  });

  it('gives each visit and replacement a bilingual reason naming the weighted findings', () => {
    // Prepare: both households of a town have the same findings, so the reasons do not depend on the order.
    const households = [
      household('shiqi', 1, ['DIED_IN_MONTH', 'SHARED_ACCOUNT']),
      household('shiqi', 2, ['DIED_IN_MONTH', 'SHARED_ACCOUNT']),
    ];
    // Act
    const weighted = drawSample(households, options({ minPerTown: 1, share: 0.01, spareShare: 1 }));
    const plain = drawSample(town('dongqu', 10), options({ minPerTown: 2, spareShare: 1 }));
    // Assess
    expect(weighted.map((r) => [r.kind, r.rank, r.reason])).toEqual([
      [
        'VISIT',
        1,
        '随机抽取（有核查发现，权重×3：DIED_IN_MONTH, SHARED_ACCOUNT）/ random draw, weighted ×3 for findings: DIED_IN_MONTH, SHARED_ACCOUNT',
      ],
      [
        'REPLACEMENT',
        2,
        '备选 1（有核查发现，权重×3：DIED_IN_MONTH, SHARED_ACCOUNT）/ replacement 1, weighted ×3 for findings: DIED_IN_MONTH, SHARED_ACCOUNT',
      ],
    ]);
    expect(plain.map((r) => r.reason)).toEqual([
      '随机抽取 / random draw',
      '随机抽取 / random draw',
      '备选 1 / replacement 1',
      '备选 2 / replacement 2',
    ]);
  });

  it('refuses out-of-range options and a household listed twice in a town, with a RangeError', () => {
    const households = town('shiqi', 5);
    expect(() => drawSample(households, options({ seed: '' }))).toThrow(/seed/);
    expect(() => drawSample(households, options({ share: 0 }))).toThrow(/share must be > 0 and <= 1, got 0/);
    expect(() => drawSample(households, options({ share: 1.5 }))).toThrow(RangeError);
    expect(() => drawSample(households, options({ share: Number.NaN }))).toThrow(RangeError);
    expect(() => drawSample(households, options({ minPerTown: 1.5 }))).toThrow(/minPerTown/);
    expect(() => drawSample(households, options({ minPerTown: -1 }))).toThrow(RangeError);
    expect(() => drawSample(households, options({ findingsWeight: 0.5 }))).toThrow(/findingsWeight/);
    expect(() => drawSample(households, options({ findingsWeight: Infinity }))).toThrow(RangeError);
    expect(() => drawSample(households, options({ spareShare: -0.1 }))).toThrow(/spareShare/);
    expect(() => drawSample([...households, household('shiqi', 3)], options())).toThrow(
      'household H0003 appears twice in town shiqi',
    );
    expect(drawSample([household('shiqi', 3), household('dongqu', 3)], options())).toHaveLength(2);
  });

  it('draws nothing from no households', () => {
    expect(drawSample([], options())).toEqual([]);
  });
});
