import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PackedIdSet } from '#domain/packed-id-set.ts';

/** `id` placed among other bytes, as a value of a staged column is: its bytes and where it lies. */
const placed = (id: string) => {
  const bytes = new Uint8Array(Buffer.from(`ab${id}é`, 'utf8'));
  return { bytes, start: 2, end: bytes.length - Buffer.byteLength('é') };
};

/** IDs and near-IDs: resident IDs, a lower-case x, other lengths, non-ASCII digits, anything. */
const anyId = fc.oneof(
  fc.tuple(fc.stringMatching(/^\d{17}$/), fc.constantFrom(...'0123456789X')).map(([d, c]) => d + c),
  fc.stringMatching(/^\d{17}$/).map((d) => `${d}x`),
  fc.stringMatching(/^\d{16,19}$/),
  fc.stringMatching(/^\d{17}$/).map((d) => `${d}\uff11`),
  fc.string({ maxLength: 20 }),
  fc.constant(''),
);

describe('PackedIdSet', () => {
  it('answers exactly as a Set<string> does, by string and by the UTF-8 bytes of the string', () => {
    fc.assert(
      fc.property(fc.array(anyId, { maxLength: 40 }), fc.array(anyId, { maxLength: 40 }), (held, asked) => {
        // Prepare
        const set = new PackedIdSet(4);
        for (const id of held) set.add(id);
        const reference = new Set(held);

        // Act
        const answers = [...held, ...asked].map((id) => {
          const { bytes, start, end } = placed(id);
          return [set.has(id), set.hasBytes(bytes, start, end)];
        });

        // Assess
        expect(answers).toEqual([...held, ...asked].map((id) => [reference.has(id), reference.has(id)]));
      }),
    );
  });

  it('tells a resident ID from the same digits with a lower-case x', () => {
    // Prepare
    const set = new PackedIdSet();
    set.add('44200019800101123X');
    set.add('11010519491231002x');

    // Act
    const result = [
      set.has('44200019800101123X'),
      set.has('44200019800101123x'),
      set.has('11010519491231002x'),
      set.has('11010519491231002X'),
    ];

    // Assess
    expect(result).toEqual([true, false, true, false]);
  });
});
