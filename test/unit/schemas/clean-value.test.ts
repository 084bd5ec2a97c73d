import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanValue, isTrimmedSpace } from '#schemas/clean-value.ts';

const CONTRACT_SPACE = /^[\t\n\v\f\r \u00a0\u3000]+|[\t\n\v\f\r \u00a0\u3000]+$/g;

describe('cleanValue', () => {
  it('treats an absent value as empty', () => {
    // Act
    const value = cleanValue(undefined);

    // Assess
    expect(value).toBe('');
  });

  it.each([
    ['  张三  ', '张三'],
    ['\t1234.50\r\n', '1234.50'],
    ['\u3000石岐街道\u3000', '石岐街道'],
    ['\u00a0DIBAO\u00a0', 'DIBAO'],
    [' \u3000\u00a0\t mixed \t\u00a0\u3000 ', 'mixed'],
    ['\v\fx\v\f', 'x'],
  ])('trims ASCII white space, U+3000 and U+00A0 at both ends of %j', (raw, expected) => {
    // Act
    const value = cleanValue(raw);

    // Assess
    expect(value).toBe(expected);
  });

  it('keeps white space inside the value', () => {
    // Act
    const value = cleanValue(' 欧阳 娜娜\u3000小 ');

    // Assess
    expect(value).toBe('欧阳 娜娜\u3000小');
  });

  it.each(['', ' ', '\u3000\u3000', '\u00a0', ' \t\r\n\u3000\u00a0 '])(
    'makes the all-white-space value %j empty',
    (raw) => {
      // Act
      const value = cleanValue(raw);

      // Assess
      expect(value).toBe('');
    },
  );

  it('keeps other Unicode spaces and a BOM, which the contract does not name', () => {
    // Prepare
    const raw = '\ufeffx\u2003';

    // Act
    const value = cleanValue(raw);

    // Assess
    expect(value).toBe(raw);
  });

  it('returns the very same string when there is nothing to trim', () => {
    // Prepare
    const raw = ['44200019800101123', '9'].join('');

    // Act
    const value = cleanValue(raw);

    // Assess
    expect(Object.is(value, raw)).toBe(true);
  });

  it('agrees with a regex reference on arbitrary strings', () => {
    // Prepare
    const piece = fc.constantFrom(
      ' ',
      '\t',
      '\n',
      '\r',
      '\v',
      '\f',
      '\u3000',
      '\u00a0',
      '\u2003',
      'a',
      '张',
      '1',
      '\ud83d\ude00',
    );
    const text = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));

    // Act & Assess
    fc.assert(
      fc.property(fc.oneof(text, fc.string()), (raw) => {
        expect(cleanValue(raw)).toBe(raw.replace(CONTRACT_SPACE, ''));
      }),
    );
  });

  it('names exactly the contract white space', () => {
    // Prepare
    const spaces = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x3000];

    // Act
    const trimmed = Array.from({ length: 0x10000 }, (_, c) => c).filter(isTrimmedSpace);

    // Assess
    expect(trimmed).toEqual(spaces);
  });
});
