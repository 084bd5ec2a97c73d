import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitTicks, niceTicks, numberTicks, percentTicks, textWidth } from '#views/svg-axis.ts';
import { bandChart } from '#views/svg-band-chart.ts';
import { linearScale } from '#views/svg-basics.ts';

/** The plot of the band chart: 330 px wide, labels at 10 px. */
const PLOT: readonly [number, number] = [182, 512];
const SIZE = 10;

/** Each label's horizontal span when written centred at its tick. */
function spans(ticks: readonly number[], labels: readonly string[], x: (v: number) => number) {
  return ticks.map((t, i) => {
    const half = textWidth(labels[i] ?? '', SIZE) / 2;
    return [x(t) - half, x(t) + half] as const;
  });
}

function overlapping(found: ReturnType<typeof spans>): boolean {
  return found.some((span, i) => i > 0 && span[0] < (found[i - 1]?.[1] ?? -Infinity) + 8);
}

/** A written tick value: `−10%`, `+2.5%`, `0%`, `1,200`, `0.25`, `1.0e+9` (from a billion on). */
const WELL_FORMED = /^(?:[−+]?\d{1,3}(?:,\d{3})*(?:\.\d+)?%?|[−+]?\d\.\de\+\d+%?)$/;

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 times a power of ten and covers the range', () => {
    // Act
    const ticks = niceTicks(-0.013, 0.27, 5);

    // Assess
    expect(ticks).toEqual([-0.1, 0, 0.1, 0.2, 0.3]);
  });
});

describe('fitTicks', () => {
  it('never lets two labels meet, whatever the range and the unit', () => {
    const bound = fc.double({ min: -1e7, max: 1e7, noNaN: true });
    fc.assert(
      fc.property(
        bound,
        bound,
        fc.constantFrom(percentTicks, numberTicks),
        fc.integer({ min: 120, max: 600 }),
        (a, b, format, width) => {
          // Arrange
          fc.pre(Math.abs(a - b) > 1e-6 * Math.max(1, Math.abs(a), Math.abs(b)));
          const [low, high] = a < b ? [a, b] : [b, a];
          const x = linearScale([low, high], [0, width]);

          // Act
          const fitted = fitTicks(low, high, x, format, SIZE);

          // Assess
          expect(fitted.ticks.length).toBeGreaterThanOrEqual(1);
          expect(fitted.labels).toHaveLength(fitted.ticks.length);
          expect(overlapping(spans(fitted.ticks, fitted.labels, x))).toBe(false);
          expect(new Set(fitted.labels).size).toBe(fitted.labels.length);
          for (const label of fitted.labels) expect(label).toMatch(WELL_FORMED);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('keeps labels apart that are exactly the gap apart by one reckoning and a hair closer by another', () => {
    // Prepare: a counterexample the property once found (seed 2088048465): 0 to 10,000,000 as
    // percentages on 140 px, where "+500,000,000%" and the next label met by 1e-14 px.
    const x = linearScale([0, 1e7], [0, 140]);

    // Act
    const fitted = fitTicks(0, 1e7, x, percentTicks, SIZE);

    // Assess
    expect(overlapping(spans(fitted.ticks, fitted.labels, x))).toBe(false);
    expect(fitted.labels).toEqual(['0%', '+1.0e+9%']);
  });

  it('writes the growth axis of a small range as distinct percentages with the decimals of their step', () => {
    // Prepare: the range of the second anomaly chart that once wrote `-0.010.000` at its top.
    const x = linearScale([-0.0123, 0.0031], PLOT);

    // Act
    const fitted = fitTicks(-0.0123, 0.0031, x, percentTicks, SIZE);

    // Assess
    expect(fitted.labels).toEqual(['−1.5%', '−1.0%', '−0.5%', '0.0%', '+0.5%']);
  });
});

describe('bandChart axis', () => {
  it('writes its tick labels apart from each other, under a visible title', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            value: fc.double({ min: -2, max: 2, noNaN: true }),
            low: fc.double({ min: -2, max: 0, noNaN: true }),
            high: fc.double({ min: 0, max: 2, noNaN: true }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        (rows) => {
          // Act
          const svg = bandChart(
            { title: '受助人数环比增长 · 低保（DIBAO） / recipients growth · DIBAO', format: percentTicks },
            rows.map((r, i) => ({
              label: `镇${i}`,
              sublabel: `t${i}`,
              value: r.value,
              baseline: 0,
              low: r.low,
              high: r.high,
              score: 0,
              flagged: false,
              shown: '',
            })),
          ).toString();

          // Assess
          expect(svg).toContain('class="chart-title"');
          const ticks = [...svg.matchAll(/<text class="axis-tick" x="([^"]+)"[^>]*>([^<]*)</g)].map((m) => ({
            x: Number(m[1]),
            label: m[2] ?? '',
          }));
          expect(ticks.length).toBeGreaterThanOrEqual(1);
          const found = spans(
            ticks.map((t) => t.x),
            ticks.map((t) => t.label),
            (v) => v,
          );
          expect(overlapping(found)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
