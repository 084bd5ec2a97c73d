import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskIdNumbersInText, maskPersonalNumbersInText } from '#domain/personal-numbers-in-text.ts';

const SEPARATORS = [' ', '-', '\u3000', '\u00a0', '\u2014', '\uff0d', '\t'];

/** The number as a reader rebuilds it: separators gone, full-width digits and x made ASCII. */
function compact(text: string): string {
  return text
    .replace(/[ \t\u00a0\u3000\-\u2010-\u2015\u2212\uff0d]/g, '')
    .replace(/[\uff10-\uff19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/[xＸｘ]/g, 'X');
}

/** A number written with random separators (0 to 3 between any two characters) and digit widths. */
function written(number: string): fc.Arbitrary<string> {
  const chars = Array.from(number);
  return fc
    .tuple(
      fc.array(fc.array(fc.constantFrom(...SEPARATORS), { maxLength: 3 }), {
        minLength: chars.length,
        maxLength: chars.length,
      }),
      fc.boolean(),
    )
    .map(([gaps, fullWidth]) =>
      chars
        .map((c, i) => {
          const shown = fullWidth && /\d/.test(c) ? String.fromCharCode(c.charCodeAt(0) - 0x30 + 0xff10) : c;
          return (i === 0 ? '' : (gaps[i]?.join('') ?? '')) + shown;
        })
        .join(''),
    );
}

const id = fc.tuple(fc.stringMatching(/^\d{17}$/), fc.constantFrom(...'0123456789Xx')).map(([d, c]) => d + c);
const account = fc.stringMatching(/^\d{10,25}$/);
/**
 * Words around the numbers: no digits, but spaces, dashes, letters (X among them) and Chinese; at
 * least one character between two numbers (glued digits are one number to any reader).
 */
const words = fc.string({
  unit: fc.constantFrom(...'石岐账号第行与即XxAb,.:；（）', ...SEPARATORS),
  minLength: 1,
  maxLength: 8,
});

describe('maskPersonalNumbersInText', () => {
  it('leaves no run of the text that rebuilds an ID or an account, whatever the separators', () => {
    // Act & Assess
    fc.assert(
      fc.property(
        id.chain((i) => fc.tuple(fc.constant(i), written(i))),
        account.chain((a) => fc.tuple(fc.constant(a), written(a))),
        fc.array(words, { minLength: 3, maxLength: 3 }),
        fc.boolean(),
        ([idNumber, idShown], [accountNumber, accountShown], [a, b, c], idFirst) => {
          const text = idFirst
            ? `${a}${idShown}${b}${accountShown}${c}`
            : `${a}${accountShown}${b}${idShown}${c}`;
          const towns = compact(maskPersonalNumbersInText(text));
          expect(towns).not.toContain(compact(idNumber));
          expect(towns).not.toContain(accountNumber);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['4420 0019 8001 0112 3X', '4420 00** **** **12 3X'],
    ['442000-19800101-123X', '442000-********-123X'],
    ['６２２２０２１２３４５６', '********３４５６'],
    ['6222 0212 3456 7890 123', '6222 02** **** ***0 123'],
    ['第 12 行，2026-10 月', '第 12 行，2026-10 月'],
    ['2026-10-01 - 2026-10-31', '2026-10-** - ****-10-31'],
  ])('masks %j as %j', (text, masked) => {
    // Act & Assess
    expect(maskPersonalNumbersInText(text)).toBe(masked);
  });

  it('changes nothing it has masked already', () => {
    // Act & Assess
    fc.assert(
      fc.property(fc.string(), (text) => {
        const once = maskPersonalNumbersInText(text);
        expect(maskPersonalNumbersInText(once)).toBe(once);
      }),
    );
  });
});

describe('maskIdNumbersInText', () => {
  it('leaves no run of the text that rebuilds an ID, whatever the separators and numbers around it', () => {
    // Act & Assess
    fc.assert(
      fc.property(
        id.chain((i) => fc.tuple(fc.constant(i), written(i))),
        account.chain(written),
        fc.array(words, { minLength: 3, maxLength: 3 }),
        ([idNumber, idShown], accountShown, [a, b, c]) => {
          const bureau = compact(maskIdNumbersInText(`${a}${accountShown}${b}${idShown}${c}`));
          expect(bureau).not.toContain(compact(idNumber));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['账号 6222020212345678901', '账号 6222020212345678901'],
    ['账号 6222 0202 1234 5678 901', '账号 6222 0202 1234 5678 901'],
    ['44200019800101123X 6222020212345678901', '442000********123X 6222020212345678901'],
    ['2026-10-01 442000198001011234', '2026-10-** **************1234'],
    ['442000198001011234X', '442000*********234X'],
    ['442000198001011234 6222020212345678901', '442000************ ***************8901'],
    ['442000198001011234 2026-10', '442000********1234 2026-10'],
    ['4420 0019 8001 0112 3X', '4420 00** **** **12 3X'],
    ['12345678901234567890123456', '123456****************3456'],
  ])('masks %j as %j: IDs only, accounts whole', (text, masked) => {
    // Act & Assess
    expect(maskIdNumbersInText(text)).toBe(masked);
  });
});
