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

/** One town's figures around the month being judged. */
export interface TownSeries {
  /** The month's row. */
  readonly current: TownMonthMetrics;
  /** The town's row of the month before, if any (it may lie outside the window). */
  readonly previous: TownMonthMetrics | undefined;
  /** The town's rows of the trailing window, oldest first, one per month. */
  readonly window: readonly TownMonthMetrics[];
  /** The town's row of a month, one per month (the first given wins). */
  readonly atMonth: (month: string) => TownMonthMetrics | undefined;
}

/** Town codes match history rows case-insensitively: a seeded file may write them in another case. */
export const townKey = (code: string) => code.toLowerCase();

/**
 * Pairs every row of the month with the town's history: its previous month and its trailing window.
 * A town absent from the history has an empty window.
 */
export function townSeries(
  current: readonly TownMonthMetrics[],
  history: readonly TownMonthMetrics[],
  trailingMonths: number,
): TownSeries[] {
  const byTown = new Map<string, Map<string, TownMonthMetrics>>();
  for (const row of history) {
    const key = townKey(row.town);
    const months = byTown.get(key) ?? new Map<string, TownMonthMetrics>();
    if (!months.has(row.month)) months.set(row.month, row);
    byTown.set(key, months);
  }
  return current.map((row) => {
    const months = byTown.get(townKey(row.town)) ?? new Map<string, TownMonthMetrics>();
    const window = trailingWindow(row.month, trailingMonths)
      .reverse()
      .flatMap((m) => {
        const r = months.get(m);
        return r === undefined ? [] : [r];
      });
    return {
      current: row,
      previous: months.get(previousMonth(row.month)),
      window,
      atMonth: (month: string) => months.get(month),
    };
  });
}
