import { quoteValue } from '../quote-value.ts';

/** Result of parsing an amount a bank or the release wrote. `reason` is English, for a detail. */
export type PlainAmountParse = { ok: true; fen: number } | { ok: false; reason: string };

/**
 * Parses an amount in yuan from a bank return line or `release.csv` into integer fen: a plain
 * decimal — ASCII digits, optionally `.` and 1–2 digits (contract section 2). Unlike a roster amount
 * (`parseAmountFen`) there is no lower or upper business limit: `0.00` is a readable amount (the
 * bank says it paid nothing) and so is an amount over 100000.00 (a mismatch, not a bad line).
 *
 * Rejected: an empty value, a sign, thousands separators, an exponent, a bare leading or trailing
 * point, 3 or more decimals, and an amount too large to be held exactly as integer fen (over
 * 90071992547409.91 yuan: no bank can pay it). The fen are computed from the digits, never through
 * a binary float. The value is taken as given: clean it first (see `cleanValue`).
 * @example parsePlainAmountFen('0.00') // { ok: true, fen: 0 }
 * @example parsePlainAmountFen('1,200') // { ok: false, reason: 'amount "1,200" is not a plain decimal …' }
 */
export function parsePlainAmountFen(value: string): PlainAmountParse {
  if (value === '') return { ok: false, reason: 'amount is empty' };
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(value);
  if (match === null) {
    return {
      ok: false,
      reason: `amount ${quoteValue(value)} is not a plain decimal with at most 2 decimals`,
    };
  }
  const yuan = (match[1] as string).replace(/^0+(?=\d)/, '');
  const decimals = (match[2] ?? '').padEnd(2, '0');
  // Number(yuan) is exact up to 15 digits. The float product and sum are then exact whenever the
  // true fen are a safe integer, and at least 2^53 (not safe) otherwise: the check is exact.
  const fen = Number(yuan) * 100 + Number(decimals);
  if (yuan.length > 15 || !Number.isSafeInteger(fen)) {
    return { ok: false, reason: `amount ${quoteValue(value)} is too large` };
  }
  return { ok: true, fen };
}
