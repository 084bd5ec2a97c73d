import { CATEGORY_CODES, type CategoryCode } from '#schemas/categories.ts';
import type { TownMonthMetrics } from '#schemas/metrics.ts';
import { previousMonth } from '#schemas/month.ts';

/**
 * The months of the trailing window before `month`, most recent first: the `trailingMonths` calendar
 * months before it.
 * @throws RangeError when `month` is not `YYYY-MM`.
 * @example trailingWindow('2026-02', 3) // ['2026-01', '2025-12', '2025-11']
 */
export function trailingWindow(month: string, trailingMonths: number): string[] {
  const months: string[] = [];
  let m = month;
  for (let i = 0; i < trailingMonths; i++) {
    m = previousMonth(m);
    months.push(m);
  }
  return months;
}

/**
 * The history rows of the trailing window before `month` (see {@link trailingWindow}), in month then
 * input order: what a town's baseline is computed from, and what a chart of the month shows.
 */
export function trailingHistory(
  month: string,
  history: readonly TownMonthMetrics[],
  trailingMonths: number,
): TownMonthMetrics[] {
  const window = new Set(trailingWindow(month, trailingMonths));
  return history
    .filter((row) => window.has(row.month))
    .sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
}

/** Town codes match history rows case-insensitively: a seeded file may write them in another case. */
export const townKey = (code: string) => code.toLowerCase();

/**
 * What is judged: a town for all categories together (`category` undefined), or one category of it.
 */
export interface WatchedUnit {
  /** Town code as the month's rows write it. */
  readonly town: string;
  readonly category: CategoryCode | undefined;
  /** The unit's row of a month: given, or zeros for a category the town did not pay that month. */
  readonly at: (month: string) => TownMonthMetrics | undefined;
}

interface TownMonth {
  all: TownMonthMetrics | undefined;
  readonly byCategory: Map<CategoryCode, TownMonthMetrics>;
}

/**
 * The units of the month and their rows, from the month's rows and the history's (the first row
 * given for a town, category and month wins; towns match case-insensitively).
 *
 * A town's month "has categories" when it has any category row, or paid nobody at all: then a
 * category without a row was not paid (zeros). A month with an all-categories row only (a file
 * written before categories) says nothing about them: its category rows are unknown, not zero, so
 * an old file is history for the all-categories unit only.
 *
 * Units, in the order of the month's towns: each town's all-categories unit, then (table 2.2 order)
 * each category the town paid this month, or paid last month when this month has categories (a
 * category that stopped is judged at zero).
 */
export function watchedUnits(
  current: readonly TownMonthMetrics[],
  history: readonly TownMonthMetrics[],
): WatchedUnit[] {
  const index = new Map<string, Map<string, TownMonth>>();
  for (const row of [...current, ...history]) {
    const months = index.get(townKey(row.town)) ?? new Map<string, TownMonth>();
    index.set(townKey(row.town), months);
    const entry = months.get(row.month) ?? { all: undefined, byCategory: new Map() };
    months.set(row.month, entry);
    if (row.category === undefined) entry.all ??= row;
    else if (!entry.byCategory.has(row.category)) entry.byCategory.set(row.category, row);
  }
  const units: WatchedUnit[] = [];
  const towns = new Set<string>();
  for (const row of current) {
    const key = townKey(row.town);
    if (towns.has(key)) continue;
    towns.add(key);
    const months = index.get(key) as Map<string, TownMonth>;
    const unitAt = (category: CategoryCode | undefined) => {
      const rows = new Map<string, TownMonthMetrics | undefined>();
      return (month: string) => {
        if (!rows.has(month)) rows.set(month, rowOf(months.get(month), category, row.town, month));
        return rows.get(month);
      };
    };
    units.push({ town: row.town, category: undefined, at: unitAt(undefined) });
    const now = months.get(row.month);
    const before = months.get(previousMonth(row.month));
    for (const category of CATEGORY_CODES) {
      const paidNow = now?.byCategory.has(category) ?? false;
      const stopped = hasCategories(now) && (before?.byCategory.get(category)?.recipients ?? 0) > 0;
      if (paidNow || stopped) units.push({ town: row.town, category, at: unitAt(category) });
    }
  }
  return units;
}

function hasCategories(entry: TownMonth | undefined): boolean {
  return entry !== undefined && (entry.byCategory.size > 0 || entry.all?.recipients === 0);
}

function rowOf(
  entry: TownMonth | undefined,
  category: CategoryCode | undefined,
  town: string,
  month: string,
): TownMonthMetrics | undefined {
  if (entry === undefined) return undefined;
  if (category === undefined) return entry.all;
  const row = entry.byCategory.get(category);
  if (row !== undefined || !hasCategories(entry)) return row;
  const population = entry.all?.population ?? [...entry.byCategory.values()][0]?.population ?? 0;
  return { month, town, category, recipients: 0, totalAmountFen: 0, population };
}
