import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { insuranceMonthFiles } from '../../../bench/month-generator.ts';

describe('insuranceMonthFiles', () => {
  it('keeps a month one file up to 6M rows, and splits a larger one into parts that hold every row', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60_000_000 }), (rows) => {
        // Act
        const files = insuranceMonthFiles('2026-10', rows);

        // Assess
        expect(files.reduce((s, f) => s + f.rows, 0)).toBe(rows);
        for (const f of files) expect(f.rows).toBeLessThanOrEqual(6_000_000);
        if (rows <= 6_000_000) expect(files).toEqual([{ name: '2026-10.csv', rows }]);
        else expect(files.map((f) => f.name)).toEqual(files.map((_, p) => `2026-10-${p + 1}.csv`));
      }),
    );
  });

  it('writes the 5M bench month (20M rows a month, ~61 bytes each) as files under 512 MiB', () => {
    // Act
    const files = insuranceMonthFiles('2026-10', 20_000_000);

    // Assess
    expect(files.map((f) => f.rows)).toEqual([5_000_000, 5_000_000, 5_000_000, 5_000_000]);
    for (const f of files) expect(f.rows * 61).toBeLessThan(512 * 2 ** 20);
  });
});
