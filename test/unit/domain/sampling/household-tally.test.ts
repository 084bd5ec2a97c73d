import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PayeeRow } from '#domain/month-check/records.ts';
import { DEFAULT_SAMPLE_OPTIONS, drawSample, type SampleOptions } from '#domain/sampling/draw-sample.ts';
import { HouseholdTally } from '#domain/sampling/household-tally.ts';
import { type RowFindingRef, sampleHouseholds } from '#domain/sampling/sample-households.ts';

const payee = (r: {
  batch: string;
  row: number;
  town: string;
  householdId: string;
  idNumber: string;
}): PayeeRow => ({
  ...r,
  name: '张三',
  category: 'DIBAO',
  amountFen: 118_000,
  accountNumber: '6222020200000000001',
  accountHolderId: '',
});

/** Findings first, then the payees in pieces of `size`, as the month's draw feeds them. */
function tallyOf(payees: readonly PayeeRow[], findings: readonly RowFindingRef[], size = 7): HouseholdTally {
  const tally = new HouseholdTally();
  for (const f of findings) tally.addFinding(f.batch, f.row, f.code);
  for (let i = 0; i < payees.length; i += size) {
    for (const p of payees.slice(i, i + size)) tally.add(p.batch, p.row, p.town, p.householdId, p.idNumber);
  }
  return tally;
}

const BATCHES = ['shiqi', 'dongqu', 'a-extra', 'xiaolan-2', 'b'];
// Household ids that order differently by UTF-16 code units and by code points ('😀' against
// '\uE000'), that differ by case or width, and one shared by every town.
const HOUSEHOLD_IDS = ['H1', 'H2', 'H10', 'h1', 'Ｈ1', 'H\uE000', 'H😀', '', 'H0000001', 'H0000002'];
const TOWNS = ['shiqi', 'dongqu', 'xiaolan', 'nanlang', 'guzhen', 'tanzhou', '东区'];
const CODES = [
  'DECEASED',
  'EMPLOYED',
  'NAME_MISMATCH',
  'SHARED_ACCOUNT',
  'DIED_IN_MONTH',
  'PENSION_INCOME',
  // Not checks of 3.3 on a row: they weigh nothing.
  'INVALID_AMOUNT',
  'MISSING_PAYMENT',
  'toString',
];

/** IDs as the pipeline spells them (kept in 8 bytes) and others (kept as text). */
const idArbitrary = fc.oneof(
  fc.stringMatching(/^\d{17}[\dX]$/),
  fc.constantFrom('44200019600101001x', '4420001960010100', '4420001960010100123', 'ID-1', '', '４４'),
  fc.string({ maxLength: 20 }),
);

const rowsArbitrary = fc.uniqueArray(
  fc.record({
    batch: fc.constantFrom(...BATCHES),
    row: fc.integer({ min: 1, max: 60 }),
    householdId: fc.constantFrom(...HOUSEHOLD_IDS),
    town: fc.constantFrom(...TOWNS),
    idNumber: idArbitrary,
  }),
  { selector: (r) => `${r.batch}#${r.row}`, maxLength: 150 },
);

const findingsArbitrary = fc.array(
  fc.record({
    batch: fc.constantFrom(...BATCHES, 'rejected-batch'),
    row: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
    code: fc.constantFrom(...CODES),
  }),
  { maxLength: 80 },
);

const optionsArbitrary: fc.Arbitrary<SampleOptions> = fc.record({
  seed: fc.string({ minLength: 1 }),
  share: fc.double({ min: 0.001, max: 1, noNaN: true }),
  minPerTown: fc.integer({ min: 0, max: 10 }),
  findingsWeight: fc.double({ min: 1, max: 20, noNaN: true }),
  spareShare: fc.double({ min: 0, max: 2, noNaN: true }),
});

const shuffled = <T>(values: readonly T[], order: fc.Stream<number>) =>
  values
    .map((value) => ({ value, at: order.next().value as number }))
    .sort((a, b) => a.at - b.at)
    .map(({ value }) => value);

describe('HouseholdTally', () => {
  it('gives the households and the draw of sampleHouseholds and drawSample, rows in any order (property)', () => {
    fc.assert(
      fc.property(
        rowsArbitrary,
        findingsArbitrary,
        optionsArbitrary,
        fc.integer({ min: 1, max: 9 }),
        fc.infiniteStream(fc.nat()),
        (rows, findings, options, size, order) => {
          // Prepare
          const payees = rows.map(payee);
          const households = sampleHouseholds(payees, findings);

          // Act
          const tally = tallyOf(shuffled(payees, order), shuffled(findings, order), size);

          // Assess
          expect(tally.households()).toEqual(households);
          expect(tally.draw(options)).toEqual(drawSample(households, options));
          const perTown = new Map<string, number>();
          for (const h of households) perTown.set(h.town, (perTown.get(h.town) ?? 0) + 1);
          expect(tally.towns()).toEqual([...perTown].map(([town, n]) => ({ town, households: n })));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('draws as drawSample from towns of thousands of households, a few with findings (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6000 }),
        fc.constantFrom(...BATCHES),
        optionsArbitrary,
        (n, firstBatch, options) => {
          // Prepare: households of two or three rows over two batches and three towns.
          const payees: PayeeRow[] = [];
          for (let i = 0; i < n; i++) {
            payees.push(
              payee({
                batch: i % 5 === 0 ? firstBatch : 'shiqi',
                row: i + 1,
                town: TOWNS[i % 3] as string,
                householdId: `H${String(Math.floor(i / 2.5)).padStart(7, '0')}`,
                idNumber: `4420001960${String(i).padStart(7, '0')}${i % 11 === 10 ? 'X' : i % 11}`,
              }),
            );
          }
          const findings = payees
            .filter((_, i) => i % 37 === 0)
            .map((p, i) => ({ batch: p.batch, row: p.row, code: CODES[i % CODES.length] as string }));

          // Act
          const rows = tallyOf([...payees].reverse(), findings, 4096).draw(options);

          // Assess
          expect(rows).toEqual(drawSample(sampleHouseholds(payees, findings), options));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('keeps IDs spelled as the pipeline spells them exactly, and any other ID as it is', () => {
    // Prepare
    const ids = [
      '000000000000000000',
      '99999999999999999X',
      '442000196001010019',
      '44200019600101001x',
      'ID-1',
    ];
    const tally = new HouseholdTally();
    ids.forEach((idNumber, i) => {
      tally.add('shiqi', i + 1, 'shiqi', `H${i}`, idNumber);
    });

    // Act
    const kept = tally.households().map((h) => h.idNumber);

    // Assess
    expect(kept).toEqual(ids);
    const drawn = tally.draw({ ...DEFAULT_SAMPLE_OPTIONS, seed: 's', share: 1 }).map((r) => r.idNumber);
    expect([...drawn].sort()).toEqual([...ids].sort());
  });

  it('replaces the first payee when an earlier row of the household comes later, ID included', () => {
    // Prepare
    const tally = new HouseholdTally();
    tally.addFinding('b', 9, 'DECEASED');
    tally.add('b', 9, 'shiqi', 'H1', '442000196001010019');
    tally.add('b', 4, 'shiqi', 'H1', 'not-canonical');
    tally.add('a', 30, 'shiqi', 'H1', '44200019600101002X');

    // Act
    const households = tally.households();

    // Assess
    expect(households).toEqual([
      { town: 'shiqi', householdId: 'H1', idNumber: '44200019600101002X', findingCodes: ['DECEASED'] },
    ]);
  });

  it('refuses a finding after payees, whose codes it would miss', () => {
    const tally = new HouseholdTally();
    tally.add('shiqi', 1, 'shiqi', 'H1', '442000196001010019');
    expect(() => tally.addFinding('shiqi', 1, 'DECEASED')).toThrow(/before payees/);
  });

  it('refuses out-of-range options and draws nothing from no households', () => {
    const tally = new HouseholdTally();
    expect(() => tally.draw({ ...DEFAULT_SAMPLE_OPTIONS, seed: 's', share: 0 })).toThrow(RangeError);
    expect(tally.draw({ ...DEFAULT_SAMPLE_OPTIONS, seed: 's' })).toEqual([]);
    expect(tally.towns()).toEqual([]);
  });
});
