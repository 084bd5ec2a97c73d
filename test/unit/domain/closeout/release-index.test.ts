import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReleaseIndex } from '#domain/closeout/release-index.ts';
import { paymentRef } from '#schemas/payment-ref.ts';

/** Refs as the pipeline spells them, and spellings close to them that are other refs. */
const refArb = fc.oneof(
  fc
    .record({ batch: fc.constantFrom('shiqi', 'dong-qu', 'a'), row: fc.nat({ max: 9_999_999 }) })
    .map(({ batch, row }) => paymentRef('2026-10', batch, row)),
  fc.constantFrom(
    '2026-10-shiqi-12',
    '2026-10-shiqi-0000012',
    '2026-10-shiqi-',
    'x',
    '',
    '-000001',
    '2026-10-shiqi-00001a',
  ),
  fc.string({ maxLength: 12 }),
);

describe('ReleaseIndex', () => {
  it('finds exactly the refs added, at their positions, like a Map', () => {
    fc.assert(
      fc.property(
        fc.array(refArb, { maxLength: 60 }),
        fc.array(refArb, { maxLength: 30 }),
        (added, asked) => {
          // Prepare
          const index = new ReleaseIndex();
          const map = new Map<string, number>();

          // Act
          const earlier = added.map((ref, i) => {
            const had = map.get(ref) ?? -1;
            if (had < 0) map.set(ref, i);
            return [index.add(ref, i), had];
          });

          // Assess
          for (const [got, had] of earlier) expect(got).toBe(had);
          for (const ref of [...added, ...asked]) expect(index.get(ref)).toBe(map.get(ref) ?? -1);
        },
      ),
    );
  });

  it('tells 2026-10-shiqi-000012 from 2026-10-shiqi-12 and 2026-10-shiqi-0000012', () => {
    // Prepare
    const index = new ReleaseIndex();

    // Act
    index.add('2026-10-shiqi-000012', 0);

    // Assess
    expect(index.get('2026-10-shiqi-000012')).toBe(0);
    expect(index.get('2026-10-shiqi-12')).toBe(-1);
    expect(index.get('2026-10-shiqi-0000012')).toBe(-1);
    expect(index.get('2026-10-shiqi-000013')).toBe(-1);
  });
});
