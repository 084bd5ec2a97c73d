import { z } from 'zod';

/**
 * Whether `s` is a month as the contract writes it: `YYYY-MM`, four ASCII digits, a hyphen and
 * a month `01`–`12`. Nothing else is a month: `2026-9`, `2026/10`, `2026-10 ` and `202610` are not.
 */
export function isMonth(s: string): boolean {
  if (s.length !== 7 || s.charCodeAt(4) !== 0x2d) return false;
  for (let i = 0; i < 7; i++) {
    if (i === 4) continue;
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  const month = (s.charCodeAt(5) - 0x30) * 10 + (s.charCodeAt(6) - 0x30);
  return month >= 1 && month <= 12;
}

/**
 * A month in a task payload or configuration: `YYYY-MM` as {@link isMonth} reads it.
 * @example '2026-10'
 */
export const MonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

/** Gregorian leap year: divisible by 4, except centuries not divisible by 400 (1900 no, 2000 yes). */
export function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** Number of days of `month` (1–12) in `year`, Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * The last day of a `YYYY-MM` month as `YYYY-MM-DD`.
 * @throws RangeError when `month` is not `YYYY-MM`.
 * @example lastDayOfMonth('2024-02') // '2024-02-29'
 */
export function lastDayOfMonth(month: string): string {
  const { year, monthNumber } = splitMonth(month);
  return `${month}-${daysInMonth(year, monthNumber)}`;
}

/**
 * The month before a `YYYY-MM` month.
 * @throws RangeError when `month` is not `YYYY-MM`, or is `0000-01` (no month before it).
 * @example previousMonth('2026-01') // '2025-12'
 */
export function previousMonth(month: string): string {
  const { year, monthNumber } = splitMonth(month);
  if (monthNumber > 1) return `${month.slice(0, 5)}${String(monthNumber - 1).padStart(2, '0')}`;
  if (year === 0) throw new RangeError(`no month before ${month}`);
  return `${String(year - 1).padStart(4, '0')}-12`;
}

/**
 * Year and month number of a `YYYY-MM` month.
 * @throws RangeError when `month` is not `YYYY-MM`.
 */
export function splitMonth(month: string): { year: number; monthNumber: number } {
  if (!isMonth(month)) throw new RangeError(`not a YYYY-MM month: "${month}"`);
  return { year: Number(month.slice(0, 4)), monthNumber: Number(month.slice(5, 7)) };
}

/**
 * The month before the one `at` falls in, on the calendar of `timeZone` (the month a scheduled
 * job run early in a month looks back at).
 * @example monthBeforeIn(new Date('2026-10-31T17:00:00Z'), 'Asia/Shanghai') // '2026-10' (it is 1 Nov in Shanghai)
 */
export function monthBeforeIn(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(at);
  const year = parts.find((p) => p.type === 'year')?.value ?? '';
  const month = parts.find((p) => p.type === 'month')?.value ?? '';
  return previousMonth(`${year}-${month}`);
}
