import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HouseholdIndex } from '#domain/sampling/household-index.ts';

describe('HouseholdIndex', () => {
  it('numbers household_ids as a Map numbering them in order of first sight would (property)', () => {
    const idArbitrary = fc.oneof(
      fc.string({ maxLength: 12, unit: 'binary' }),
      fc.string({ maxLength: 3, unit: fc.constantFrom('H', 'h', '1', '\uE000', '\uD83D', '\uDE00') }),
    );
    fc.assert(
      fc.property(
        fc.array(idArbitrary, { maxLength: 1500 }),
        fc.array(idArbitrary, { maxLength: 50 }),
        (ids, probes) => {
          // Prepare
          const index = new HouseholdIndex();
          const reference = new Map<string, number>();

          // Act
          const slots = ids.map((id) => index.slotOf(id));

          // Assess
          const expected = ids.map((id) => {
            const slot = reference.get(id) ?? reference.size;
            reference.set(id, slot);
            return slot;
          });
          expect(slots).toEqual(expected);
          expect(index.size).toBe(reference.size);
          expect(index.ids()).toEqual([...reference.keys()]);
          for (const probe of [...probes, ...ids]) expect(index.find(probe)).toBe(reference.get(probe) ?? -1);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('holds a million household_ids and ids longer than one piece of text', () => {
    // Prepare
    const index = new HouseholdIndex();
    const long = 'H'.repeat(10_000);

    // Act
    for (let i = 0; i < 1_000_000; i++) index.slotOf(`H${i}`);
    const slot = index.slotOf(long);

    // Assess
    expect(index.size).toBe(1_000_001);
    expect(index.find('H999999')).toBe(999_999);
    expect(index.idAt(123_456)).toBe('H123456');
    expect(index.idAt(slot)).toBe(long);
    expect(index.find('H1000000')).toBe(-1);
  });
});
