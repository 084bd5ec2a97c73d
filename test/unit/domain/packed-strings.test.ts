import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PackedStrings } from '#domain/packed-strings.ts';

describe('PackedStrings', () => {
  it('gives back every string pushed and compares like ===, across chunk boundaries', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 6, unit: 'grapheme' }), { minLength: 4000, maxLength: 9000 }),
        fc.string({ maxLength: 6 }),
        (texts, other) => {
          // Prepare
          const packed = new PackedStrings();

          // Act
          const indexes = texts.map((t) => packed.push(t));

          // Assess
          expect(packed.size).toBe(texts.length);
          texts.forEach((t, i) => {
            expect(indexes[i]).toBe(i);
            expect(packed.get(i)).toBe(t);
            expect(packed.equals(i, t)).toBe(true);
            expect(packed.equals(i, other)).toBe(t === other);
          });
        },
      ),
      { numRuns: 5 },
    );
  });
});
