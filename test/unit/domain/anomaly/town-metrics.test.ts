import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { townMetrics } from '#domain/anomaly/town-metrics.ts';

const TOWNS = [
  { code: 'shiqi', population: 71000 },
  { code: 'DQ02', population: 52000 },
  { code: 'nanqu', population: 0 },
];
const ID_1 = '44200019800101123X';
const ID_2 = '442000198001011245';

describe('townMetrics', () => {
  it('gives one row per town in the order of towns.csv, zeros for a town without payments', () => {
    // Prepare
    const payments = [
      { town: 'DQ02', idNumber: ID_1, amountFen: 120_050 },
      { town: 'shiqi', idNumber: ID_2, amountFen: 52_000 },
    ];

    // Act
    const rows = townMetrics('2026-10', payments, TOWNS);

    // Assess
    expect(rows).toEqual([
      { month: '2026-10', town: 'shiqi', recipients: 1, totalAmountFen: 52_000, population: 71000 },
      { month: '2026-10', town: 'DQ02', recipients: 1, totalAmountFen: 120_050, population: 52000 },
      { month: '2026-10', town: 'nanqu', recipients: 0, totalAmountFen: 0, population: 0 },
    ]);
  });

  it('counts a person paid twice (two categories) once and sums both payments', () => {
    // Prepare
    const payments = [
      { town: 'shiqi', idNumber: ID_1, amountFen: 52_000 },
      { town: 'shiqi', idNumber: ID_1, amountFen: 30_000 },
      { town: 'shiqi', idNumber: ID_2, amountFen: 65_000 },
    ];

    // Act
    const [shiqi] = townMetrics('2026-10', payments, TOWNS);

    // Assess
    expect(shiqi).toMatchObject({ recipients: 2, totalAmountFen: 147_000 });
  });

  it('leaves out payments to a town code not in towns.csv, also one in another letter case', () => {
    // Prepare
    const payments = [
      { town: 'xiqu', idNumber: ID_1, amountFen: 52_000 },
      { town: 'dq02', idNumber: ID_2, amountFen: 65_000 },
    ];

    // Act
    const rows = townMetrics('2026-10', payments, TOWNS);

    // Assess
    expect(rows.map((r) => r.recipients)).toEqual([0, 0, 0]);
    expect(rows.map((r) => r.totalAmountFen)).toEqual([0, 0, 0]);
  });

  it('rejects an amount that is not whole fen', () => {
    // Act
    const act = () => townMetrics('2026-10', [{ town: 'shiqi', idNumber: ID_1, amountFen: 520.5 }], TOWNS);

    // Assess
    expect(act).toThrow(RangeError);
  });

  it('keeps every fen of the known towns and never counts more recipients than payments', () => {
    const payment = fc.record({
      town: fc.constantFrom('shiqi', 'DQ02', 'nanqu', 'xiqu'),
      idNumber: fc.constantFrom(ID_1, ID_2, '442000198001011261', '442000198001011288'),
      amountFen: fc.integer({ min: 1, max: 10_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(payment, { maxLength: 60 }), (payments) => {
        // Prepare
        const known = payments.filter((p) => p.town !== 'xiqu');

        // Act
        const rows = townMetrics('2026-10', payments, TOWNS);

        // Assess
        expect(rows.reduce((n, r) => n + r.totalAmountFen, 0)).toBe(
          known.reduce((n, p) => n + p.amountFen, 0),
        );
        for (const row of rows) {
          const mine = known.filter((p) => p.town === row.town);
          expect(row.recipients).toBe(new Set(mine.map((p) => p.idNumber)).size);
          expect(row.recipients).toBeLessThanOrEqual(mine.length);
        }
      }),
    );
  });
});
