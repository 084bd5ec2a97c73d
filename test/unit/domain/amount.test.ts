import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFen, MAX_AMOUNT_FEN, parseAmountFen } from '#domain/amount.ts';

/** Reference: the contract's pattern, then exact BigInt arithmetic. */
function referenceFen(value: string): bigint | undefined {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(value);
  if (match === null) return undefined;
  const fen = BigInt(match[1] ?? '0') * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
  return fen >= 1n && fen <= 10_000_000n ? fen : undefined;
}

describe('parseAmountFen', () => {
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
  ])('reads %s as %i fen', (value, fen) => {
    // Act
    const result = parseAmountFen(value);

    // Assess
    expect(result).toEqual({ ok: true, fen });
  });

  it('accepts leading zeros, which spreadsheets produce: 0100.50 is 100.50 yuan', () => {
    // Act
    const padded = parseAmountFen('0100.50');
    const long = parseAmountFen('0000000000000000000000001.00');

    // Assess
    expect(padded).toEqual({ ok: true, fen: 10050 });
    expect(long).toEqual({ ok: true, fen: 100 });
  });

  it.each([
    '0.001',
    '1e3',
    '1E3',
    '-5',
    '+5',
    '1,200',
    '１２',
    '.5',
    '5.',
    '.',
    '',
    ' 5',
    '5 ',
    '1 200',
    '1.2.3',
    '¥5',
    '5元',
    'NaN',
    'Infinity',
    '0x10',
    '12.3a',
  ])('rejects %j, which is not a plain decimal with at most 2 decimals', (value) => {
    // Act
    const result = parseAmountFen(value);

    // Assess
    expect(result).toEqual({
      ok: false,
      reason: `金额须为不超过两位小数的正数 / amount "${value}" is not a plain decimal with at most 2 decimals`,
    });
  });

  it('words the thousands-separator case as the officer reads it', () => {
    // Act
    const result = parseAmountFen('1,200');

    // Assess
    expect(result).toEqual({
      ok: false,
      reason: '金额须为不超过两位小数的正数 / amount "1,200" is not a plain decimal with at most 2 decimals',
    });
  });

  it.each(['0', '0.00', '0.0', '000'])('rejects %s: an amount must be greater than 0', (value) => {
    // Act
    const result = parseAmountFen(value);

    // Assess
    expect(result).toEqual({ ok: false, reason: '金额须大于 0 / amount must be greater than 0' });
  });

  it.each(['100000.01', '100001', '1000000', '99999999999999999999', '99999999999999999999.99'])(
    'rejects %s: over 100000.00, judged without overflow',
    (value) => {
      // Act
      const result = parseAmountFen(value);

      // Assess
      expect(result).toEqual({
        ok: false,
        reason: `金额不得超过 100000.00 / amount "${value}" is over 100000.00`,
      });
    },
  );

  it('shortens a runaway value in the reason', () => {
    // Prepare
    const value = '9'.repeat(400);

    // Act
    const result = parseAmountFen(value);

    // Assess
    expect(result).toEqual({
      ok: false,
      reason: `金额不得超过 100000.00 / amount "${'9'.repeat(30)}…" is over 100000.00`,
    });
  });

  it('round-trips every fen amount through formatFen', () => {
    // Act & Assess
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_AMOUNT_FEN }), (fen) => {
        expect(parseAmountFen(formatFen(fen))).toEqual({ ok: true, fen });
      }),
    );
  });

  it('returns only integer fen, agreeing with a BigInt reference on any string', () => {
    // Prepare
    const decimalish = fc
      .array(fc.constantFrom('0', '1', '5', '9', '.', ',', '-', '+', 'e', ' ', '１'), { maxLength: 25 })
      .map((chars) => chars.join(''));
    const numeric = fc
      .tuple(fc.stringMatching(/^\d{0,25}$/), fc.constantFrom('', '.'), fc.stringMatching(/^\d{0,3}$/))
      .map(([int, point, frac]) => int + point + frac);

    // Act & Assess
    fc.assert(
      fc.property(fc.oneof(decimalish, numeric, fc.string()), (value) => {
        const result = parseAmountFen(value);
        const expected = referenceFen(value);
        if (result.ok) {
          expect(Number.isInteger(result.fen)).toBe(true);
          expect(BigInt(result.fen)).toBe(expected);
        } else {
          expect(expected).toBeUndefined();
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('formatFen', () => {
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
    // Act
    const result = formatFen(fen);

    // Assess
    expect(result).toBe(text);
  });

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])(
    'throws a RangeError for %s, not a safe integer',
    (fen) => {
      // Act & Assess
      expect(() => formatFen(fen)).toThrow(RangeError);
    },
  );
});
