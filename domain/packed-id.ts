/**
 * A resident ID number (GB 11643-1999: 17 digits and a check character `0`–`9` or `X`) packed
 * into two 31-bit integers, so it can be compared and hashed without a string:
 * - `high`: the first 9 digits as a number (< 10^9);
 * - `low`: the next 8 digits as a number, times 11, plus the check character's value (`0`–`9`,
 *   `X` = 10) (< 1.1·10^9).
 *
 * Every ID of that shape packs, whether its check character and birth date are right or not, and
 * two IDs pack alike exactly when their 18 characters are the same. Anything else — another
 * length, a lower-case `x` (staged IDs are upper-cased), a non-digit — does not pack, and so
 * cannot be the ID of a valid roster row.
 */

/**
 * Packs the ID in `bytes[start, end)` (its UTF-8 or ASCII bytes) into `out[0]`, `out[1]`; false
 * when it does not pack. Branch-free per digit (a bad digit makes `bad` negative), as it runs on
 * every row of the partner files.
 */
export function packIdBytes(bytes: Uint8Array, start: number, end: number, out: Int32Array): boolean {
  if (end - start !== 18) return false;
  let high = 0;
  let low = 0;
  let bad = 0;
  for (let i = start; i < start + 9; i++) {
    const digit = (bytes[i] as number) - 0x30;
    bad |= digit | (9 - digit);
    high = high * 10 + digit;
  }
  for (let i = start + 9; i < start + 17; i++) {
    const digit = (bytes[i] as number) - 0x30;
    bad |= digit | (9 - digit);
    low = low * 10 + digit;
  }
  const last = bytes[start + 17] as number;
  const check = last === 0x58 ? 10 : last - 0x30;
  // (`:` is 0x30 + 10: only `X` is the check value 10)
  if (bad < 0 || check < 0 || check > 9 + Number(last === 0x58)) return false;
  out[0] = high;
  out[1] = low * 11 + check;
  return true;
}

/** Packs the ID `id` into `out[0]`, `out[1]`; false when it does not pack. */
export function packId(id: string, out: Int32Array): boolean {
  if (id.length !== 18) return false;
  let high = 0;
  for (let i = 0; i < 9; i++) {
    const digit = id.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return false;
    high = high * 10 + digit;
  }
  let low = 0;
  for (let i = 9; i < 17; i++) {
    const digit = id.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return false;
    low = low * 10 + digit;
  }
  const last = id.charCodeAt(17);
  const check = last === 0x58 ? 10 : last - 0x30;
  if (check < 0 || check > 9 + Number(last === 0x58)) return false;
  out[0] = high;
  out[1] = low * 11 + check;
  return true;
}

/** The ID that packs into `high`, `low` (the inverse of {@link packId}). */
export function unpackId(high: number, low: number): string {
  const check = low % 11;
  const middle = (low - check) / 11;
  return `${String(high).padStart(9, '0')}${String(middle).padStart(8, '0')}${check === 10 ? 'X' : check}`;
}
