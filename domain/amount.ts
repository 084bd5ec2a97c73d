import { quoteValue } from './quote-value.ts';

/** Highest amount of one payment, in fen: 100000.00 yuan (contract 2.1). */
export const MAX_AMOUNT_FEN = 10_000_000;

/** Result of parsing an amount. `reason` is bilingual (Chinese / English). */
export type AmountParse = { ok: true; fen: number } | { ok: false; reason: string };

/**
 * Parses a roster amount (yuan) into integer fen (contract 2.1): a plain decimal — ASCII digits,
 * optionally `.` and 1–2 digits — greater than 0 and at most 100000.00.
 *
 * Rejected: a sign (`-5`, `+5`), thousands separators (`1,200`), exponents (`1e3`), a bare
 * leading or trailing point (`.5`, `5.`), 3 or more decimals (`0.001`), full-width digits (`１２`),
 * inner white space. Leading zeros are accepted (`0100.50` is 100.50 yuan): spreadsheets
 * and bank templates produce them and the value is unambiguous.
 *
 * The fen are computed from the digits, never through a binary float, and an integer part of
 * any length is judged without overflow (`99999999999999999999` is over the limit, not a NaN).
 * The value is taken as given: clean it first (see `cleanValue`).
 * @example parseAmountFen('1234.5') // { ok: true, fen: 123450 }
 */
export function parseAmountFen(value: string): AmountParse {
  const length = value.length;
  let i = 0;
  let significant = 0;
  let yuan = 0;
  for (; i < length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x2e) break;
    const digit = c - 0x30;
    if (digit < 0 || digit > 9) return notPlain(value);
    if (significant > 0 || digit > 0) {
      significant++;
      // Seven significant digits already exceed the limit; stop accumulating to stay exact.
      if (significant <= 7) yuan = yuan * 10 + digit;
    }
  }
  if (i === 0) return notPlain(value);
  let fen = 0;
  if (i < length) {
    const decimals = length - i - 1;
    if (decimals < 1 || decimals > 2) return notPlain(value);
    const tenths = value.charCodeAt(i + 1) - 0x30;
    const hundredths = decimals === 2 ? value.charCodeAt(i + 2) - 0x30 : 0;
    if (tenths < 0 || tenths > 9 || hundredths < 0 || hundredths > 9) return notPlain(value);
    fen = tenths * 10 + hundredths;
  }
  if (significant > 7) return tooLarge(value);
  fen += yuan * 100;
  if (fen === 0) return { ok: false, reason: '金额须大于 0 / amount must be greater than 0' };
  if (fen > MAX_AMOUNT_FEN) return tooLarge(value);
  return { ok: true, fen };
}

/**
 * Writes integer fen as yuan with exactly 2 decimals (contract section 4).
 * @throws RangeError when `fen` is not a safe integer.
 * @example formatFen(123450) // '1234.50'
 */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`fen must be a safe integer, got ${fen}`);
  const digits = String(Math.abs(fen)).padStart(3, '0');
  return `${fen < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

function notPlain(value: string): AmountParse {
  return {
    ok: false,
    reason: `金额须为不超过两位小数的正数 / amount ${quoteValue(value)} is not a plain decimal with at most 2 decimals`,
  };
}

function tooLarge(value: string): AmountParse {
  return { ok: false, reason: `金额不得超过 100000.00 / amount ${quoteValue(value)} is over 100000.00` };
}
