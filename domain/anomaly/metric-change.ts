import type { AnomalyMetric, TownMonthMetrics } from '#schemas/metrics.ts';
import { previousMonth as monthBefore } from '#schemas/month.ts';
import type { WatchedUnit } from './town-history.ts';

/** Why a month's value cannot be judged. */
export type Unavailable = 'no-population' | 'no-previous' | 'previous-zero' | 'no-recipients';

/**
 * One metric of a unit in one month, as it is judged: every metric is judged on how it moved since
 * a month before (a caseload is a stock that moves by a few entries and exits a month, so the last
 * month is what this month is expected to be near, not the median of a year).
 */
export interface MetricChange {
  /** The month's value of the metric (share, growth as a fraction; yuan); 0 where it has none. */
  readonly value: number;
  /** Why the month cannot be judged, if so. */
  readonly unavailable: Unavailable | undefined;
  /**
   * The relative change judged: growth itself; for a level (share, average, total) its value over
   * the reference month's − 1. `undefined` when unavailable.
   */
  readonly change: number | undefined;
  /** The month the change is measured from: last month, or the latest earlier one with a value. */
  readonly reference: Reference | undefined;
}

/** The month a change is measured from. */
export interface Reference {
  readonly month: string;
  /** The metric's level that month (growth: the recipients). */
  readonly level: number;
  /** The unit's recipients that month: what the change is counted in (people, or usual payments). */
  readonly recipients: number;
  /** Months from the reference to the month judged (1: last month). */
  readonly gap: number;
}

const yuan = (fen: number) => fen / 100;

/** `previousMonth`, remembered: a month is judged against a year of months, for every unit and metric. */
const before = new Map<string, string>();
function previousMonth(month: string): string {
  let m = before.get(month);
  if (m === undefined) {
    m = monthBefore(month);
    before.set(month, m);
  }
  return m;
}

/** The level a metric follows month to month (growth follows the recipients). */
export function levelOf(metric: AnomalyMetric, row: TownMonthMetrics): number | undefined {
  switch (metric) {
    case 'recipients_share':
      return row.population > 0 ? row.recipients / row.population : undefined;
    case 'recipients_growth':
      return row.recipients;
    case 'average_amount':
      return row.recipients > 0 ? yuan(row.totalAmountFen) / row.recipients : undefined;
    case 'total_amount':
      return yuan(row.totalAmountFen);
  }
}

/**
 * The unit's metric in `month`, and its change since the reference month: for growth the month
 * before; for a level the latest of the `maxGap` months before with a level above 0 (a level of 0
 * has no relative change to measure from).
 * @returns `undefined` when the unit has no row that month.
 */
export function metricChange(
  metric: AnomalyMetric,
  unit: WatchedUnit,
  month: string,
  maxGap: number,
): MetricChange | undefined {
  const row = unit.at(month);
  if (row === undefined) return undefined;
  if (metric === 'recipients_growth') return growth(unit, row);
  const level = levelOf(metric, row);
  if (level === undefined) {
    return {
      value: 0,
      unavailable: metric === 'recipients_share' ? 'no-population' : 'no-recipients',
      change: undefined,
      reference: undefined,
    };
  }
  let m = month;
  let sawZero = false;
  for (let gap = 1; gap <= maxGap; gap++) {
    m = previousMonth(m);
    const before = unit.at(m);
    if (before === undefined) continue;
    const previous = levelOf(metric, before);
    if (previous === undefined || previous <= 0) {
      sawZero ||= before.recipients === 0;
      continue;
    }
    return {
      value: level,
      unavailable: undefined,
      change: level / previous - 1,
      reference: { month: m, level: previous, recipients: before.recipients, gap },
    };
  }
  return {
    value: level,
    unavailable: sawZero ? 'previous-zero' : 'no-previous',
    change: undefined,
    reference: undefined,
  };
}

function growth(unit: WatchedUnit, row: TownMonthMetrics): MetricChange {
  const month = previousMonth(row.month);
  const before = unit.at(month);
  if (before === undefined || before.recipients === 0) {
    return {
      value: 0,
      unavailable: before === undefined ? 'no-previous' : 'previous-zero',
      change: undefined,
      reference: undefined,
    };
  }
  const value = row.recipients / before.recipients - 1;
  return {
    value,
    unavailable: undefined,
    change: value,
    reference: { month, level: before.recipients, recipients: before.recipients, gap: 1 },
  };
}
