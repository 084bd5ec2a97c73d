import { civilFromDays, daysFromCivil, splitYm } from '#demo/people.ts';

/** `YYYY-MM-DD` of the day `offset` days after the first day of `month`. */
export function dayOf(month: string, offset: number): string {
  const { year, month: m } = splitYm(month);
  const d = civilFromDays(daysFromCivil(year, m, 1) + offset);
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
}

/** The number of days of `month`. */
export function daysIn(month: string): number {
  const { year, month: m } = splitYm(month);
  return daysFromCivil(m === 12 ? year + 1 : year, m === 12 ? 1 : m + 1, 1) - daysFromCivil(year, m, 1);
}
