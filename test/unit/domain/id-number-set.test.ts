import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdNumberSet } from '#domain/id-number-set.ts';

/** Canonical IDs, near misses (lower-case x, a letter inside, 15 or 19 characters) and odd strings. */
const anyId = fc.oneof(
  fc.tuple(fc.stringMatching(/^\d{17}$/), fc.constantFrom(...'0123456789X')).map(([d, c]) => d + c),
  fc.stringMatching(/^\d{17}$/).map((d) => `${d}x`),
  fc.stringMatching(/^\d{15}$/),
  fc.stringMatching(/^\d{19}$/),
  fc.stringMatching(/^\d{16}[A-Z:]\d$/),
  fc.stringMatching(/^\d{17}[:;A-W]$/),
  fc.string({ maxLength: 20 }),
  // A few repeated values, so the same ID is often added twice.
  fc.constantFrom('44200019800101123X', '442000198001011245', '44200019800101123x', '99999999999999999X'),
);

describe('IdNumberSet', () => {
  it('holds exactly the strings a Set of them holds, whatever the spelling and order', () => {
    fc.assert(
      fc.property(
        fc.array(anyId, { maxLength: 300 }),
        fc.array(anyId, { maxLength: 50 }),
        (added, probes) => {
          // Prepare
          const ids = new IdNumberSet();
          const reference = new Set<string>();

          // Act
          added.forEach((id, i) => {
            ids.add(id);
            reference.add(id);
            // Sealed part way, then added to again.
            if (i % 97 === 50) expect(ids.size).toBe(reference.size);
          });

          // Assess
          expect(ids.size).toBe(reference.size);
          for (const id of [...added, ...probes]) expect(ids.has(id)).toBe(reference.has(id));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('tells apart IDs that differ only in the check character, the case of X or a digit', () => {
    // Prepare
    const ids = new IdNumberSet();
    for (const id of ['44200019800101123X', '442000198001011230', '000000000000000000']) ids.add(id);

    // Assess
    expect(ids.size).toBe(3);
    expect(ids.has('44200019800101123x')).toBe(false);
    expect(ids.has('442000198001011239')).toBe(false);
    expect(ids.has('44200019800101124X')).toBe(false);
    expect(ids.has('000000000000000000')).toBe(true);
    expect(ids.has('999999999999999999')).toBe(false);
  });
});
