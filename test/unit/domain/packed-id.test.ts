import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packId, packIdBytes, unpackId } from '#domain/packed-id.ts';

const pack = (id: string): [number, number] | undefined => {
  const out = new Int32Array(2);
  return packId(id, out) ? [out[0] as number, out[1] as number] : undefined;
};

const packBytes = (id: string): [number, number] | undefined => {
  const bytes = new Uint8Array(Buffer.from(`..${id}..`, 'utf8'));
  const out = new Int32Array(2);
  return packIdBytes(bytes, 2, bytes.length - 2, out) ? [out[0] as number, out[1] as number] : undefined;
};

describe('packId', () => {
  it('packs the first 9 digits, then the next 8 digits × 11 plus the check value (X = 10)', () => {
    // Act
    const digit = pack('442000198001011234');
    const x = pack('44200019800101123X');

    // Assess
    expect(digit).toEqual([442000198, 101123 * 11 + 4]);
    expect(x).toEqual([442000198, 101123 * 11 + 10]);
  });

  it.each([
    ['lower-case x (staged IDs are upper-cased)', '44200019800101123x'],
    ['17 characters', '44200019800101123'],
    ['19 characters', '4420001980010112345'],
    ['a letter among the digits', '4420001980A101123X'],
    ['a full-width digit', '44200019800101123\uff11'],
    ['a check character other than a digit or X', '44200019800101123Y'],
    ['a colon, the character after 9 (it would pack as X)', '44200019800101123:'],
    ['empty', ''],
  ])('does not pack %s', (_, id) => {
    // Act
    const result = [pack(id), packBytes(id)];

    // Assess
    expect(result).toEqual([undefined, undefined]);
  });

  it('packs bytes and strings alike, and two IDs alike only when they are the same', () => {
    const idArbitrary = fc.stringMatching(/^\d{17}[\dX]$/);
    fc.assert(
      fc.property(idArbitrary, idArbitrary, (a, b) => {
        // Act
        const [packedA, packedB] = [pack(a), pack(b)];

        // Assess
        expect(packBytes(a)).toEqual(packedA);
        expect(packedA !== undefined && packedA[0] >= 0 && packedA[1] >= 0).toBe(true);
        expect(JSON.stringify(packedA) === JSON.stringify(packedB)).toBe(a === b);
      }),
    );
  });

  it('unpacks to the very ID it packed', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}[\dX]$/), (id) => {
        // Act
        const packed = pack(id) as [number, number];

        // Assess
        expect(unpackId(packed[0], packed[1])).toBe(id);
      }),
    );
  });
});
