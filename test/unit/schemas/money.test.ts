import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  configYuanToFen,
  displayYuan,
  formatFen,
  MAX_AMOUNT_FEN,
  MAX_ROSTER_AMOUNT_FEN,
  parseBankAmount,
  parsePartnerAmount,
  parseRosterAmount,
  parseRosterTotal,
} from '#schemas/money.ts';
import { fenOfDisplayed } from '../../support/displayed-fen.ts';

// References: the contract's pattern, then exact BigInt arithmetic on the digits.

/** The fen a plain decimal (contract 2) writes, however large; `undefined` for other text. */
function plainFen(value: string): bigint | undefined {
  const match = /^([0-9]+)(?:\.([0-9]{1,2}))?$/.exec(value);
  if (match === null) return undefined;
  return BigInt(match[1] ?? '0') * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
}

/** `fen` written with 2 decimals, from BigInt division. */
function yuanText(fen: bigint): string {
  const size = fen < 0n ? -fen : fen;
  return `${fen < 0n ? '-' : ''}${size / 100n}.${String(size % 100n).padStart(2, '0')}`;
}

const MAX = BigInt(MAX_AMOUNT_FEN);
/** Largest fen whose 2-decimal yuan text a binary float always holds: 15 significant digits. */
const JSON_EXACT_FEN = 10n ** 15n - 1n;

/** Text near the contract's form: digits, points and the characters that make it something else. */
const decimalish = fc
  .array(fc.constantFrom('0', '1', '5', '9', '.', ',', '-', '+', 'e', ' ', '１', '\u3000'), { maxLength: 25 })
  .map((chars) => chars.join(''));
/** Digits, an optional point and 0–3 decimals: plain decimals and the near misses. */
const numeric = fc
  .tuple(fc.stringMatching(/^[0-9]{0,22}$/), fc.constantFrom('', '.'), fc.stringMatching(/^[0-9]{0,3}$/))
  .map(([int, point, frac]) => int + point + frac);
const anyText = fc.oneof(decimalish, numeric, fc.string());

/** Fen written the ways the contract allows: 2, 1 or 0 decimals where exact, leading zeros. */
const writtenFen = (fen: fc.Arbitrary<bigint>) =>
  fc.tuple(fen, fc.constantFrom('fixed', 'natural', 'padded')).map(([f, how]) => {
    const fixed = yuanText(f);
    if (how === 'padded') return { fen: f, text: `00${fixed}` };
    if (how === 'fixed') return { fen: f, text: fixed };
    return { fen: f, text: fixed.replace(/\.00$/, '').replace(/(\.\d)0$/, '$1') };
  });

/** A plain decimal made into what the contract refuses: sign, separator, exponent, 3 decimals … */
const spoiled = fc
  .tuple(
    fc.bigInt({ min: 0n, max: MAX }).map(yuanText),
    fc.constantFrom<(t: string) => string>(
      (t) => `-${t}`,
      (t) => `+${t}`,
      (t) => `${t}0`,
      (t) => `${t.slice(0, 1)},${t.slice(1)}`,
      (t) => `${t}e2`,
      (t) => t.replace('.', ''),
      (t) => `.${t.replace('.', '')}`,
      (t) => `${t.replace(/\..*/, '')}.`,
      (t) => `${t.slice(0, 1)} ${t.slice(1)}`,
      (t) => t.replace(/[0-9]/, (d) => String.fromCharCode(0xff10 + Number(d))),
      (t) => `¥${t}`,
    ),
  )
  .map(([text, spoil]) => spoil(text))
  .filter((t) => plainFen(t) === undefined);

describe('parseRosterTotal (contract 2: the total line of a roster)', () => {
  it.each([
    ['85632.50', 8_563_250],
    ['85632.5', 8_563_250],
    ['0', 0],
    ['0.00', 0],
    ['12345678.90', 1_234_567_890],
    ['0085632.50', 8_563_250],
  ])('reads %s as %i fen, above the cap of one payment and 0 alike', (value, fen) => {
    // Act & Assess
    expect(parseRosterTotal(value)).toEqual({ ok: true, fen });
  });

  it.each(['85,632.50', '85632.505', '¥85632.50', '85632.50元', '-1.00', '8.563E4', '８５６３２', '1 000'])(
    'refuses %j, which is not a plain decimal with at most 2 decimals, with a bilingual reason',
    (value) => {
      // Act & Assess
      expect(parseRosterTotal(value)).toEqual({
        ok: false,
        reason: `合计金额 "${value}" 不是不超过两位小数的数字（不得含千位分隔符） / the total "${value}" is not a plain decimal with at most 2 decimals (no thousands separator)`,
      });
    },
  );

  it('refuses a total too large to hold exactly', () => {
    // Act & Assess
    expect(parseRosterTotal('99999999999999999999.99')).toEqual({
      ok: false,
      reason: '合计金额 "99999999999999999999.99" 过大 / the total "99999999999999999999.99" is too large',
    });
  });

  it('agrees with the contract pattern on any text', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9.,]{0,12}$/), (value) => {
        // Act
        const parsed = parseRosterTotal(value);

        // Assess
        const fen = plainFen(value);
        expect(parsed.ok ? BigInt(parsed.fen) : undefined).toBe(fen);
      }),
    );
  });
});

describe('parseRosterAmount (contract 2.1)', () => {
  const reference = (value: string): bigint | undefined => {
    const fen = plainFen(value);
    return fen !== undefined && fen >= 1n && fen <= BigInt(MAX_ROSTER_AMOUNT_FEN) ? fen : undefined;
  };

  it.each([
    ['1234.5', 123450],
    ['1234.50', 123450],
    ['1234', 123400],
    ['0.01', 1],
    ['0.1', 10],
    ['1', 100],
    ['100000.00', 10_000_000],
    ['100000', 10_000_000],
    ['99999.99', 9_999_999],
    ['0100.50', 10050],
    ['0000000000000000000000001.00', 100],
  ])('reads %s as %i fen', (value, fen) => {
    // Act & Assess
    expect(parseRosterAmount(value)).toEqual({ ok: true, fen });
  });

  it.each([
    '0.001',
    '1e3',
    '-5',
    '+5',
    '1,200',
    '１２',
    '.5',
    '5.',
    '.',
    '',
    ' 5',
    '1 200',
    '1.2.3',
    '¥5',
    '5元',
  ])('rejects %j, which is not a plain decimal with at most 2 decimals', (value) => {
    // Act & Assess
    expect(parseRosterAmount(value)).toEqual({
      ok: false,
      reason: `金额须为不超过两位小数的正数 / amount "${value}" is not a plain decimal with at most 2 decimals`,
    });
  });

  it.each(['0', '0.00', '0.0', '000'])('rejects %s: an amount must be greater than 0', (value) => {
    // Act & Assess
    expect(parseRosterAmount(value)).toEqual({
      ok: false,
      reason: '金额须大于 0 / amount must be greater than 0',
    });
  });

  it.each(['100000.01', '100001', '99999999999999999999', '99999999999999999999.99'])(
    'rejects %s: over 100000.00, judged without overflow',
    (value) => {
      // Act & Assess
      expect(parseRosterAmount(value)).toEqual({
        ok: false,
        reason: `金额不得超过 100000.00 / amount "${value}" is over 100000.00`,
      });
    },
  );

  it('shortens a runaway value in the reason', () => {
    // Act
    const result = parseRosterAmount('9'.repeat(400));

    // Assess
    expect(result).toEqual({
      ok: false,
      reason: `金额不得超过 100000.00 / amount "${'9'.repeat(30)}…" is over 100000.00`,
    });
  });

  it('reads back every roster amount as written, whichever way the contract allows', () => {
    fc.assert(
      fc.property(writtenFen(fc.bigInt({ min: 1n, max: BigInt(MAX_ROSTER_AMOUNT_FEN) })), ({ fen, text }) => {
        expect(parseRosterAmount(text)).toEqual({ ok: true, fen: Number(fen) });
      }),
    );
  });

  it('agrees with the BigInt reference on any text, and words each refusal by its cause', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, spoiled), (value) => {
        const result = parseRosterAmount(value);
        const expected = reference(value);
        if (expected !== undefined) {
          expect(result).toEqual({ ok: true, fen: Number(expected) });
          return;
        }
        expect(result.ok).toBe(false);
        const fen = plainFen(value);
        const cause =
          fen === undefined ? 'is not a plain decimal' : fen === 0n ? 'greater than 0' : 'over 100000.00';
        if (!result.ok) expect(result.reason).toContain(cause);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('parsePartnerAmount (contract 2.3)', () => {
  const reference = (value: string): number | undefined => {
    const fen = plainFen(value);
    return fen !== undefined && fen <= MAX ? Number(fen) : undefined;
  };

  it.each([
    ['0', 0],
    ['0.00', 0],
    ['2300', 230_000],
    ['2300.5', 230_050],
    ['150000.05', 15_000_005],
    ['007.10', 710],
    ['90071992547409.91', Number.MAX_SAFE_INTEGER],
  ])('reads %s as %i fen', (value, fen) => {
    // Act & Assess
    expect(parsePartnerAmount(value)).toBe(fen);
  });

  it.each([
    '',
    '-1',
    '+1',
    '1,000',
    '1e3',
    '.5',
    '5.',
    '1.234',
    '１２',
    '1 000',
    '90071992547409.92',
    '9'.repeat(20),
  ])('rejects %j', (value) => {
    // Act & Assess
    expect(parsePartnerAmount(value)).toBeUndefined();
  });

  it('reads back every amount up to 2^53 − 1 fen as written, whichever way the contract allows', () => {
    fc.assert(
      fc.property(writtenFen(fc.bigInt({ min: 0n, max: MAX })), ({ fen, text }) => {
        expect(parsePartnerAmount(text)).toBe(Number(fen));
      }),
    );
  });

  it('rejects a sign, a separator, an exponent, a third decimal, a bare point, full-width digits', () => {
    fc.assert(
      fc.property(spoiled, (value) => {
        expect(parsePartnerAmount(value)).toBeUndefined();
      }),
    );
  });

  it('agrees with the BigInt reference on any text', () => {
    fc.assert(
      fc.property(
        fc.oneof(anyText, fc.bigInt({ min: MAX - 10_000n, max: MAX + 10_000n }).map(yuanText)),
        (value) => {
          expect(parsePartnerAmount(value)).toBe(reference(value));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('parseBankAmount (contract 3.4)', () => {
  it.each([
    ['0.00', 0],
    ['0', 0],
    ['520', 52_000],
    ['520.5', 52_050],
    ['00520.05', 52_005],
    ['250000.00', 25_000_000],
    ['90071992547409.91', 9_007_199_254_740_991],
  ])('reads %s as %i fen', (value, fen) => {
    // Act & Assess
    expect(parseBankAmount(value)).toEqual({ ok: true, fen });
  });

  it.each([
    ['', 'amount is empty'],
    ['1,200', 'amount "1,200" is not a plain decimal with at most 2 decimals'],
    ['-1', 'amount "-1" is not a plain decimal with at most 2 decimals'],
    ['1.234', 'amount "1.234" is not a plain decimal with at most 2 decimals'],
    [
      '99999999999999999999x',
      'amount "99999999999999999999x" is not a plain decimal with at most 2 decimals',
    ],
    ['90071992547409.92', 'amount "90071992547409.92" is too large'],
    ['99999999999999999999', 'amount "99999999999999999999" is too large'],
  ])('rejects %j: %s', (value, reason) => {
    // Act & Assess
    expect(parseBankAmount(value)).toEqual({ ok: false, reason });
  });

  it('accepts exactly what a partner amount accepts, with the same fen', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyText,
          spoiled,
          writtenFen(fc.bigInt({ min: 0n, max: MAX })).map((w) => w.text),
        ),
        (value) => {
          const result = parseBankAmount(value);
          const partner = parsePartnerAmount(value);
          expect(result.ok ? result.fen : undefined).toBe(partner);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('configYuanToFen (config/pipeline.json)', () => {
  /**
   * The fen `yuan` is when it is a number of yuan with at most 2 decimals, from BigInt text: of the
   * fen next to `yuan × 100` (a float product, which is off by up to a fen above ~10^13 yuan:
   * 35746159712887.84 × 100 gives …783), the one whose 2-decimal text reads back as `yuan`.
   * `'ambiguous'` where more than one does (above ~4.5 × 10^13 yuan a float no longer tells every
   * cent apart): the property skips those.
   */
  const reference = (yuan: number): number | undefined | 'ambiguous' => {
    if (!(yuan >= 0) || Object.is(yuan, -0)) return yuan === 0 ? 0 : undefined;
    const near = Math.round(yuan * 100);
    const fens = [near - 1, near, near + 1].filter(
      (fen) => fen >= 0 && Number.isSafeInteger(fen) && Number(yuanText(BigInt(fen))) === yuan,
    );
    return fens.length > 1 ? 'ambiguous' : fens[0];
  };

  it.each([
    [2300, 230_000],
    [2300.1, 230_010],
    [1600.5, 160_050],
    [0.07, 7],
    [0, 0],
    [9999999999999.99, 999_999_999_999_999],
    // Found by the property below: yuan × 100 in floats is …783.
    [35746159712887.84, 3_574_615_971_288_784],
  ])('reads %s yuan as exactly %i fen, without float arithmetic', (yuan, fen) => {
    // Act & Assess
    expect(configYuanToFen(yuan)).toBe(fen);
  });

  it.each([-1, 1500.001, 0.1 + 0.2, 1e20, 1e21, 5e-7, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects %s',
    (yuan) => {
      // Act & Assess
      expect(configYuanToFen(yuan)).toBeUndefined();
    },
  );

  it('reads back every fen written as a JSON number that holds it (15 significant digits)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: JSON_EXACT_FEN }), (fen) => {
        const yuan = JSON.parse(yuanText(fen)) as number;
        expect(configYuanToFen(yuan)).toBe(Number(fen));
      }),
    );
  });

  it('agrees with the reference on any number', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ noNaN: true }),
          fc.integer({ min: -1_000_000, max: 10_000_000 }).map((n) => n / 1000),
          fc.integer({ min: 0, max: 10_000_000 }).map((n) => n / 100),
        ),
        (yuan) => {
          const expected = reference(yuan);
          fc.pre(expected !== 'ambiguous');
          expect(configYuanToFen(yuan)).toBe(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('formatFen (contract 4)', () => {
  it.each([
    [123450, '1234.50'],
    [123456, '1234.56'],
    [0, '0.00'],
    [5, '0.05'],
    [50, '0.50'],
    [100, '1.00'],
    [10_000_000, '100000.00'],
    [-5, '-0.05'],
    [-123450, '-1234.50'],
  ])('writes %i fen as %s', (fen, text) => {
    // Act & Assess
    expect(formatFen(fen)).toBe(text);
  });

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])(
    'throws a RangeError for %s, not a safe integer',
    (fen) => {
      // Act & Assess
      expect(() => formatFen(fen)).toThrow(RangeError);
    },
  );

  it('writes every safe integer as BigInt division does, with exactly 2 decimals', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (fen) => {
        expect(formatFen(fen)).toBe(yuanText(BigInt(fen)));
      }),
    );
  });

  it('writes text that each parser of its range reads back to the same fen', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (fen) => {
        const text = formatFen(fen);
        expect(parsePartnerAmount(text)).toBe(fen);
        expect(parseBankAmount(text)).toEqual({ ok: true, fen });
        if (fen <= JSON_EXACT_FEN) expect(configYuanToFen(Number(text))).toBe(fen);
        if (fen >= 1 && fen <= MAX_ROSTER_AMOUNT_FEN)
          expect(parseRosterAmount(text)).toEqual({ ok: true, fen });
      }),
    );
  });
});

describe('displayYuan (pages)', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [99_999, '999.99'],
    [100_000, '1,000.00'],
    [123_456_789, '1,234,567.89'],
    [-123_456, '-1,234.56'],
  ])('writes %i fen as %s', (fen, shown) => {
    // Act & Assess
    expect(displayYuan(fen)).toBe(shown);
  });

  it('writes any fen so that the displayed text reads back to the same fen', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (fen) => {
        expect(fenOfDisplayed(displayYuan(fen))).toBe(fen);
      }),
    );
  });

  it('is formatFen with the integer part grouped as Intl groups it', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (fen) => {
        const [integer = '', decimals = ''] = formatFen(fen).split('.');
        const grouped = BigInt(integer).toLocaleString('en-US');
        expect(displayYuan(fen)).toBe(`${integer === '-0' ? '-0' : grouped}.${decimals}`);
      }),
    );
  });
});
