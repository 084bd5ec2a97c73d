import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ComparedRow, compareRosters } from '#domain/desk/roster-comparison.ts';

const row = (
  id: string,
  amountFen: number,
  accountNumber = '6222000011112222',
  category = 'DIBAO',
): ComparedRow => ({
  idNumber: id,
  category,
  name: `人${id.slice(-4)}`,
  amountFen,
  accountNumber,
});

const A = '44200019800101123X';
const B = '442000198502024567';
const C = '442000199003038888';
const D = '442000199504049999';

describe('compareRosters', () => {
  it('names who is new, who left and whose amount or account changed, IDs masked', () => {
    // Prepare
    const before = [row(A, 100_000), row(B, 80_000), row(C, 50_000)];
    const now = [row(A, 100_000), row(B, 90_000), row(C, 50_000, '6222999988887777'), row(D, 60_000)];

    // Act
    const result = compareRosters(before, now);

    // Assess
    expect(result.added).toEqual([
      { maskedId: '442000********9999', category: 'DIBAO', name: '人9999', amountFen: 60_000 },
    ]);
    expect(result.removed).toEqual([]);
    expect(result.changed).toEqual([
      {
        maskedId: '442000********4567',
        category: 'DIBAO',
        name: '人4567',
        amountBeforeFen: 80_000,
        amountNowFen: 90_000,
        accountChanged: false,
      },
      {
        maskedId: '442000********8888',
        category: 'DIBAO',
        name: '人8888',
        amountBeforeFen: 50_000,
        amountNowFen: 50_000,
        accountChanged: true,
      },
    ]);
    expect(result.unchanged).toBe(1);
    expect(JSON.stringify(result)).not.toContain(A);
  });

  it('tells one person in two categories apart, and a category dropped is a leaver', () => {
    // Act
    const result = compareRosters(
      [row(A, 100, undefined, 'DIBAO'), row(A, 200, undefined, 'TEKUN')],
      [row(A, 100)],
    );

    // Assess
    expect(result.removed.map((r) => r.category)).toEqual(['TEKUN']);
    expect(result.added).toEqual([]);
    expect(result.unchanged).toBe(1);
  });

  it('accounts for every person of both months exactly once, whatever the rosters', () => {
    const ids = fc.constantFrom(A, B, C, D);
    const rows = fc.array(
      fc.record({
        idNumber: ids,
        category: fc.constantFrom('DIBAO', 'TEKUN'),
        name: fc.constant('x'),
        amountFen: fc.integer({ min: 1, max: 10_000_000 }),
        accountNumber: fc.constantFrom('1', '2'),
      }),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(rows, rows, (before, now) => {
        // Act
        const result = compareRosters(before, now);

        // Assess
        const people = (list: readonly ComparedRow[]) =>
          new Set(list.map((r) => `${r.idNumber}|${r.category}`));
        const was = people(before);
        const is = people(now);
        const both = [...is].filter((k) => was.has(k)).length;
        expect(result.added.length).toBe(is.size - both);
        expect(result.removed.length).toBe(was.size - both);
        expect(result.changed.length + result.unchanged).toBe(both);
        // The same roster twice changes nothing.
        const same = compareRosters(now, now);
        expect(same.added.length + same.removed.length + same.changed.length).toBe(0);
      }),
    );
  });
});
