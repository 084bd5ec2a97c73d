import fc from 'fast-check';

/**
 * Field values for the property tests that hold two readers of a dataset field against each other
 * (byte readers, field readers, staging from bytes): the space around a value and the texts near
 * every field kind's edge. One home, so that the tests generate the same kinds of values.
 */

/** Space the contract trims at both ends of a field: ASCII space and tab, U+3000, U+00A0. */
export const TRIMMED_SPACE = [' ', '\t', '\u3000', '\u00a0'] as const;

/** Line breaks and U+000B: trimmed too, but a CSV field holds them only quoted. */
export const LINE_SPACE = ['\r', '\n', '\v', '\r\n'] as const;

/** What looks like space or a separator at a field's edge but is kept: U+2003, U+FEFF, U+3001. */
export const KEPT_EDGE = ['\u2003', '\ufeff', '、'] as const;

/**
 * What stands on one side of a value: nothing (weight `blank`) or one of the edge characters
 * (weight `space`); `lineBreaks` adds `LINE_SPACE`, for readers that see a field's own bytes.
 */
export function edgeSpace(options: {
  blank: number;
  space: number;
  lineBreaks?: boolean;
}): fc.Arbitrary<string> {
  const edges = [...TRIMMED_SPACE, ...KEPT_EDGE, ...(options.lineBreaks ? LINE_SPACE : [])];
  return fc.oneof(
    { arbitrary: fc.constant(''), weight: options.blank },
    { arbitrary: fc.constantFrom(...edges), weight: options.space },
  );
}

/** `value` with `space` before and after it. */
export function spaced(space: fc.Arbitrary<string>, value: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(space, value, space).map(([before, v, after]) => `${before}${v}${after}`);
}

/** Flags and numbers at the edge of the flag, amount and integer forms. */
export const edgeFlagsAndNumbers = fc.constantFrom(
  '',
  'Y',
  'y',
  'N',
  'yes',
  '是',
  '0',
  '00',
  '0.00',
  '.5',
  '5.',
  '-1',
  '+1',
  '1e3',
  '1,000.00',
);

/** `yyyy-mm-dd` from parts out of range as well as in it (0000-00-00 to 9999-14-32). */
export const dateLike = fc
  .tuple(
    fc.integer({ min: 0, max: 10_000 }),
    fc.integer({ min: 0, max: 14 }),
    fc.integer({ min: 0, max: 32 }),
  )
  .map(
    ([y, m, d]) =>
      `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
  );

/** `yyyy-mm` with months 00 to 13, years in `years`. */
export function monthLike(years: { min: number; max: number }): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer(years), fc.integer({ min: 0, max: 13 }))
    .map(([y, m]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`);
}

/** Yuan with one to three decimals: amounts and the near misses. */
export const yuanLike = fc.tuple(fc.nat(), fc.nat({ max: 999 })).map(([yuan, fen]) => `${yuan}.${fen}`);

/** Digit runs up to `10 ** digits`: amounts past every bound and ID-sized numbers. */
export const digitRun = (digits: number) => fc.bigInt({ min: 0n, max: 10n ** BigInt(digits) }).map(String);

/** ID numbers of the right shape (checksum not checked), either case of X. */
export const idNumberLike = fc.stringMatching(/^[0-9]{17}[0-9xX]$/);

/** Anything at all, a few graphemes long. */
export const anyShortText = fc.string({ unit: 'grapheme', maxLength: 8 });
