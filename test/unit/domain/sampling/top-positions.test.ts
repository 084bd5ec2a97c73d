import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topPositions } from '#domain/sampling/top-positions.ts';

describe('topPositions', () => {
  it('gives the first k of the positions sorted by key, largest first, ties in position order (property)', () => {
    // Few distinct keys, so that ties are common (the draw's keys practically never tie).
    const keysArbitrary = fc.array(fc.constantFrom(-3, -2.5, -1, -0.5, -1e-9, -Number.MIN_VALUE), {
      maxLength: 200,
    });
    fc.assert(
      fc.property(keysArbitrary, fc.nat(), (values, pick) => {
        // Prepare
        const keys = Float64Array.from(values);
        const k = pick % (keys.length + 1);
        const reference = values
          .map((key, position) => ({ key, position }))
          .sort((a, b) => b.key - a.key || a.position - b.position)
          .slice(0, k)
          .map(({ position }) => position);

        // Act
        const top = topPositions(keys, k);

        // Assess
        expect([...top]).toEqual(reference);
      }),
    );
  });

  it('refuses a k out of range', () => {
    expect(() => topPositions(Float64Array.from([-1, -2]), 3)).toThrow(RangeError);
    expect(() => topPositions(Float64Array.from([-1, -2]), -1)).toThrow(RangeError);
  });
});
