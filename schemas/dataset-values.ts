import { daysInMonth } from '#schemas/month.ts';

/**
 * Value rules of the reference, register and partner files (contract 2, 2.3) that the roster
 * rules of `domain/` do not cover: calendar dates (and their staged day numbers) and partner ID
 * numbers; amounts are in `money.ts`. The value is taken as given: clean it first (see
 * `cleanValue`).
 *
 * They would sit well in `domain/` (next to `month.ts`); they live here because the dataset
 * schemas are their only user so far.
 */

/**
 * Whether `s` is a date as the contract writes it: `YYYY-MM-DD`, ASCII digits, a real Gregorian
 * calendar date (`2026-02-29` is not, `2024-02-29` is). Nothing else is a date: `2026-9-1`,
 * `2026/09/01`, `20260901` and `2026-09-01 00:00` are not.
 */
export function isCalendarDate(s: string): boolean {
  if (s.length !== 10 || s.charCodeAt(4) !== 0x2d || s.charCodeAt(7) !== 0x2d) return false;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  const year =
    (s.charCodeAt(0) - 0x30) * 1000 +
    (s.charCodeAt(1) - 0x30) * 100 +
    (s.charCodeAt(2) - 0x30) * 10 +
    (s.charCodeAt(3) - 0x30);
  const month = (s.charCodeAt(5) - 0x30) * 10 + (s.charCodeAt(6) - 0x30);
  const day = (s.charCodeAt(8) - 0x30) * 10 + (s.charCodeAt(9) - 0x30);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * An ID number as records carry it for matching: upper-cased (a lower-case check character `x`
 * becomes `X`, contract 2.1). Partner and register IDs are not otherwise validated: an ID that is
 * not a valid resident ID matches no valid roster row, so it can neither raise nor hide a finding.
 * Allocates nothing when there is no lower-case letter (the common case).
 * @example normalizeIdNumber('11010519491231002x') // '11010519491231002X'
 */
export function normalizeIdNumber(value: string): string {
  for (let i = value.length - 1; i >= 0; i--) {
    const c = value.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) return value.toUpperCase();
  }
  return value;
}

/**
 * Days since 1970-01-01 of a `YYYY-MM-DD` date (negative before), the value of an Arrow `DateDay`.
 * Proleptic Gregorian (H. Hinnant's `days_from_civil`), no `Date` object.
 * @example daysFromDate('1970-01-02') // 1
 */
export function daysFromDate(date: string): number {
  let y =
    (date.charCodeAt(0) - 0x30) * 1000 +
    (date.charCodeAt(1) - 0x30) * 100 +
    (date.charCodeAt(2) - 0x30) * 10 +
    (date.charCodeAt(3) - 0x30);
  const m = (date.charCodeAt(5) - 0x30) * 10 + (date.charCodeAt(6) - 0x30);
  const d = (date.charCodeAt(8) - 0x30) * 10 + (date.charCodeAt(9) - 0x30);
  if (m <= 2) y -= 1;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * The `YYYY-MM-DD` date of a day count since 1970-01-01 (inverse of {@link daysFromDate}) for
 * years 0000–9999.
 * @example dateFromDays(0) // '1970-01-01'
 */
export function dateFromDays(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}
