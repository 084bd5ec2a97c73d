import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PackedIdMap } from '#domain/packed-id-map.ts';

const bytesOf = (id: string) => new Uint8Array(Buffer.from(id, 'utf8'));

describe('PackedIdMap', () => {
  it('answers the value set for an ID, by string or by bytes, and −1 for another', () => {
    // Prepare
    const map = new PackedIdMap(4);
    map.set('44200019800101123X', 3);
    map.setBytes(bytesOf('110105194912310021'), 0, 18, 0);

    // Act
    const result = [
      map.get('44200019800101123X'),
      map.getBytes(bytesOf('44200019800101123X'), 0, 18),
      map.get('110105194912310021'),
      map.get('110105194912310020'),
      map.get('44200019800101123x'),
    ];

    // Assess
    expect(result).toEqual([3, 3, 0, -1, -1]);
    expect(map.size).toBe(2);
  });

  it('replaces the value of an ID set again', () => {
    // Prepare
    const map = new PackedIdMap();
    map.set('44200019800101123X', 1);

    // Act
    map.set('44200019800101123X', 7);

    // Assess
    expect([map.get('44200019800101123X'), map.size]).toEqual([7, 1]);
  });

  it('refuses an ID that does not pack', () => {
    // Prepare
    const map = new PackedIdMap();

    // Act
    const result = [map.set('not an id', 1), map.setBytes(bytesOf('123'), 0, 3, 1)];

    // Assess
    expect(result).toEqual([false, false]);
    expect(map.size).toBe(0);
  });

  it('agrees with a Map for any IDs, growing far past its expected size', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.stringMatching(/^\d{17}[\dX]$/), fc.nat(1000)), { maxLength: 300 }),
        fc.array(fc.stringMatching(/^\d{17}[\dX]$/), { maxLength: 50 }),
        (entries, others) => {
          // Prepare
          const map = new PackedIdMap(1);
          const expected = new Map<string, number>();

          // Act
          for (const [id, value] of entries) {
            map.set(id, value);
            expected.set(id, value);
          }

          // Assess
          expect(map.size).toBe(expected.size);
          for (const id of [...expected.keys(), ...others]) expect(map.get(id)).toBe(expected.get(id) ?? -1);
        },
      ),
    );
  });
});
