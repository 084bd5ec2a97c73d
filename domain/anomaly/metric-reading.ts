import type { AnomalyMetric } from '#schemas/metrics.ts';
import { previousMonth } from '#schemas/month.ts';
import { median } from './robust-stats.ts';
import type { TownSeries } from './town-history.ts';

/** Relative noise floor of a level (share, average, total): 2 % of the baseline. */
export const RELATIVE_FLOOR = 0.02;
/** Noise floor of month-on-month growth: 1 percentage point. */
export const GROWTH_FLOOR = 0.01;
/** A departure worth fewer recipients than this is never flagged (counts, growth and totals). */
export const MIN_RECIPIENTS_MOVED = 10;

/** Why a month's value cannot be judged. */
export type Unavailable = 'no-population' | 'no-previous' | 'previous-zero' | 'no-recipients';

/**
 * One town's metric for the month, with what judging it needs. Values are fractions (share,
 * growth) or yuan (average, total).
 */
export interface MetricReading {
  readonly metric: AnomalyMetric;
  /** The month's value; 0 when {@link unavailable}. */
  readonly value: number;
  readonly unavailable: Unavailable | undefined;
  /** The town's values over its trailing window (months where the value exists), oldest first. */
  readonly history: readonly number[];
  /**
   * The noise floor of the spread around `baseline`, in the metric's unit, always positive:
   * - share: max(2 % of the baseline recipients, √ of them (Poisson), 1 recipient) / population;
   * - growth: max(√2 / √(last month's recipients) — the Poisson noise of two monthly counts —, 1 point);
   * - average: max(2 % of the baseline, 0.01 yuan);
   * - total: max(2 % of the baseline, baseline / √(median recipients) (Poisson), 0.01 yuan).
   */
  floor(baseline: number): number;
  /**
   * What is compared with the other towns: growth itself for growth; for a level, the change against
   * the town's own baseline (value / baseline − 1). `undefined` when it cannot be computed.
   */
  peerChange(baseline: number): number | undefined;
  /**
   * The departure from `baseline` counted in recipients (share and growth: recipients; total: the
   * town's usual payments), for the {@link MIN_RECIPIENTS_MOVED} rule; `undefined` where the rule
   * does not apply (average) or no unit is known.
   */
  recipientsMoved(baseline: number): number | undefined;
}

const yuan = (fen: number) => fen / 100;

/** A level's change against the town's own baseline. */
const relativeChange = (value: number, baseline: number) => (baseline > 0 ? value / baseline - 1 : undefined);

/** Reads one metric of a town's month (see {@link MetricReading}). */
export function readMetric(metric: AnomalyMetric, series: TownSeries): MetricReading {
  switch (metric) {
    case 'recipients_share':
      return readShare(series);
    case 'recipients_growth':
      return readGrowth(series);
    case 'average_amount':
      return readAverage(series);
    case 'total_amount':
      return readTotal(series);
  }
}

function readShare({ current, window }: TownSeries): MetricReading {
  const population = current.population;
  const floor = (baseline: number) => {
    if (population <= 0) return 1;
    const recipients = baseline * population;
    return Math.max(RELATIVE_FLOOR * recipients, Math.sqrt(recipients), 1) / population;
  };
  return {
    metric: 'recipients_share',
    value: population > 0 ? current.recipients / population : 0,
    unavailable: population > 0 ? undefined : 'no-population',
    history: window.filter((r) => r.population > 0).map((r) => r.recipients / r.population),
    floor,
    peerChange: (baseline) => relativeChange(population > 0 ? current.recipients / population : 0, baseline),
    recipientsMoved: (baseline) =>
      population > 0 ? Math.abs(current.recipients / population - baseline) * population : undefined,
  };
}

function readGrowth({ current, previous, window, atMonth }: TownSeries): MetricReading {
  const history: number[] = [];
  for (const row of window) {
    const before = atMonth(previousMonth(row.month));
    if (before !== undefined && before.recipients > 0) history.push(row.recipients / before.recipients - 1);
  }
  const unavailable: Unavailable | undefined =
    previous === undefined ? 'no-previous' : previous.recipients > 0 ? undefined : 'previous-zero';
  const value = unavailable === undefined && previous ? current.recipients / previous.recipients - 1 : 0;
  // The Poisson noise of last month's count; without it, of the town's usual count.
  const scale = previous?.recipients || median(window.map((r) => r.recipients)) || 1;
  const floor = () => Math.max(Math.SQRT2 / Math.sqrt(Math.max(scale, 1)), GROWTH_FLOOR);
  return {
    metric: 'recipients_growth',
    value,
    unavailable,
    history,
    floor,
    peerChange: () => (unavailable === undefined ? value : undefined),
    recipientsMoved: (baseline) =>
      unavailable === undefined && previous ? Math.abs(value - baseline) * previous.recipients : undefined,
  };
}

function readAverage({ current, window }: TownSeries): MetricReading {
  const value = current.recipients > 0 ? yuan(current.totalAmountFen) / current.recipients : 0;
  const floor = (baseline: number) => Math.max(RELATIVE_FLOOR * baseline, 0.01);
  return {
    metric: 'average_amount',
    value,
    unavailable: current.recipients > 0 ? undefined : 'no-recipients',
    history: window.filter((r) => r.recipients > 0).map((r) => yuan(r.totalAmountFen) / r.recipients),
    floor,
    peerChange: (baseline) => (current.recipients > 0 ? relativeChange(value, baseline) : undefined),
    recipientsMoved: () => undefined,
  };
}

function readTotal({ current, window }: TownSeries): MetricReading {
  const value = yuan(current.totalAmountFen);
  const usualRecipients = median(window.map((r) => r.recipients)) ?? current.recipients;
  const floor = (baseline: number) =>
    Math.max(RELATIVE_FLOOR * baseline, baseline / Math.sqrt(Math.max(usualRecipients, 1)), 0.01);
  // One usual payment: the town's median average over the window, else this month's average.
  const usualPayment =
    median(window.filter((r) => r.recipients > 0).map((r) => yuan(r.totalAmountFen) / r.recipients)) ??
    (current.recipients > 0 ? value / current.recipients : undefined);
  return {
    metric: 'total_amount',
    value,
    unavailable: undefined,
    history: window.map((r) => yuan(r.totalAmountFen)),
    floor,
    peerChange: (baseline) => relativeChange(value, baseline),
    recipientsMoved: (baseline) =>
      usualPayment !== undefined && usualPayment > 0 ? Math.abs(value - baseline) / usualPayment : undefined,
  };
}
