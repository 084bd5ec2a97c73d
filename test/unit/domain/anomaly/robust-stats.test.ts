import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAD_SCALE,
  median,
  medianAbsoluteDeviation,
  robustSpread,
  robustZ,
} from '#domain/anomaly/robust-stats.ts';

const integers = fc.array(fc.integer({ min: -1_000_000, max: 1_000_000 }), { minLength: 1, maxLength: 40 });

describe('median', () => {
  it.each([
    [[3, 1, 100], 3],
    [[4, 1, 3, 2], 2.5],
    [[7], 7],
    [[-2, -2, 5], -2],
  ])('of %j is %d', (values, expected) => {
    // Act
    const result = median(values);

    // Assess
    expect(result).toBe(expected);
  });

  it('is undefined for no values and leaves its input unsorted', () => {
    // Prepare
    const values = [3, 1, 2];

    // Act
    const none = median([]);
    median(values);

    // Assess
    expect(none).toBeUndefined();
    expect(values).toEqual([3, 1, 2]);
  });

  it('has at least half of the values on either side, and ignores their order', () => {
    fc.assert(
      fc.property(integers, fc.integer(), (values, seed) => {
        // Prepare
        const shuffled = [...values].sort((a, b) => ((a * 31 + seed) % 7) - ((b * 31 + seed) % 7));

        // Act
        const m = median(values) as number;

        // Assess
        expect(values.filter((v) => v <= m).length * 2).toBeGreaterThanOrEqual(values.length);
        expect(values.filter((v) => v >= m).length * 2).toBeGreaterThanOrEqual(values.length);
        expect(median(shuffled)).toBe(m);
      }),
    );
  });

  it('stays within the range of the untouched values when fewer than half are replaced by outliers', () => {
    fc.assert(
      fc.property(
        integers,
        fc.array(fc.double({ min: -1e12, max: 1e12, noNaN: true }), { maxLength: 40 }),
        (values, outliers) => {
          // Prepare
          const replaced = Math.min(outliers.length, Math.ceil(values.length / 2) - 1);
          const kept = values.slice(replaced);
          const spoiled = [...outliers.slice(0, replaced), ...kept];

          // Act
          const m = median(spoiled) as number;

          // Assess
          expect(m).toBeGreaterThanOrEqual(Math.min(...kept));
          expect(m).toBeLessThanOrEqual(Math.max(...kept));
        },
      ),
    );
  });
});

describe('medianAbsoluteDeviation', () => {
  it('is the median distance from the median: one outlier does not move it', () => {
    // Act
    const mad = medianAbsoluteDeviation([1, 2, 3, 4, 100]);

    // Assess
    expect(mad).toBe(1);
  });

  it('is undefined for no values', () => {
    // Act
    const mad = medianAbsoluteDeviation([]);

    // Assess
    expect(mad).toBeUndefined();
  });

  it('is non-negative, 0 for equal values, unchanged by a shift and scaled by a factor', () => {
    fc.assert(
      fc.property(
        integers,
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: -50, max: 50 }),
        (values, shift, k) => {
          // Act
          const mad = medianAbsoluteDeviation(values) as number;
          const shifted = medianAbsoluteDeviation(values.map((v) => v + shift));
          const scaled = medianAbsoluteDeviation(values.map((v) => v * k));
          const constant = medianAbsoluteDeviation(values.map(() => shift));

          // Assess
          expect(mad).toBeGreaterThanOrEqual(0);
          expect(shifted).toBe(mad);
          expect(scaled).toBe(Math.abs(k) * mad);
          expect(constant).toBe(0);
        },
      ),
    );
  });
});

describe('robustSpread', () => {
  it('scales the MAD to a standard deviation: 1.4826 × MAD', () => {
    // Act
    const spread = robustSpread([10, 12, 14, 16, 18], 0);

    // Assess
    expect(spread).toBeCloseTo(MAD_SCALE * 2, 12);
  });

  it('estimates the standard deviation of normal data', () => {
    // Prepare: the normal quantiles of 2001 equally likely points, standard deviation 1.
    const quantiles = Array.from({ length: 2001 }, (_, i) => inverseNormal((i + 0.5) / 2001));

    // Act
    const spread = robustSpread(quantiles, 0);

    // Assess
    expect(spread).toBeCloseTo(1, 2);
  });

  it('never falls below the noise floor, and is the floor for equal or no values', () => {
    fc.assert(
      fc.property(integers, fc.double({ min: 0, max: 1e6, noNaN: true }), (values, floor) => {
        // Act
        const spread = robustSpread(values, floor);
        const flat = robustSpread(
          values.map(() => 5),
          floor,
        );

        // Assess
        expect(spread).toBeGreaterThanOrEqual(floor);
        expect(flat).toBe(floor);
        expect(robustSpread([], floor)).toBe(floor);
      }),
    );
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects the floor %d', (floor) => {
    // Act
    const act = () => robustSpread([1, 2], floor);

    // Assess
    expect(act).toThrow(RangeError);
  });
});

describe('robustZ', () => {
  it('counts spreads above or below the center', () => {
    // Act
    const above = robustZ(130, 100, 10);
    const below = robustZ(85, 100, 10);

    // Assess
    expect(above).toBe(3);
    expect(below).toBe(-1.5);
  });

  it('has the sign of the departure and is never larger than the departure over the floor', () => {
    fc.assert(
      fc.property(
        integers,
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        fc.integer({ min: 1, max: 1000 }),
        (values, value, floor) => {
          // Prepare
          const center = median(values) as number;
          const spread = robustSpread(values, floor);

          // Act
          const z = robustZ(value, center, spread) as number;

          // Assess
          expect(Math.sign(z)).toBe(Math.sign(value - center));
          expect(Math.abs(z)).toBeLessThanOrEqual(Math.abs(value - center) / floor + 1e-9);
        },
      ),
    );
  });

  it.each([
    [1, 0, 0],
    [1, 0, -1],
    [Number.NaN, 0, 1],
    [1, Number.POSITIVE_INFINITY, 1],
    [1, 0, Number.POSITIVE_INFINITY],
  ])('is null for value %d, center %d and spread %d', (value, center, spread) => {
    // Act
    const z = robustZ(value, center, spread);

    // Assess
    expect(z).toBeNull();
  });
});

/** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9). */
function inverseNormal(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const tail = (q: number) =>
    (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
}
