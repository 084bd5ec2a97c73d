import {
  ANOMALY_METRICS,
  type AnomalyMetric,
  type AnomalyRow,
  METRIC_DECIMALS,
  type TownMonthMetrics,
} from '#schemas/metrics.ts';
import { isMonth, previousMonth } from '#schemas/month.ts';
import { explainAnomaly, type Verdict } from './anomaly-explanation.ts';
import { type MetricReading, MIN_RECIPIENTS_MOVED, readMetric } from './metric-reading.ts';
import { median, robustSpread, robustZ } from './robust-stats.ts';
import { type TownSeries, townKey, townSeries, trailingHistory } from './town-history.ts';

/** How anomalies are judged. */
export interface AnomalyOptions {
  /** Months of history (within the trailing window) needed before anything is flagged. @default 3 */
  readonly minHistoryMonths: number;
  /** A value is flagged only beyond this many robust spreads, from its own history and from its peers. @default 3.5 */
  readonly threshold: number;
  /** Calendar months before the month that make a town's baseline. @default 12 */
  readonly trailingMonths: number;
}

/** The defaults of {@link AnomalyOptions}. */
export const DEFAULT_ANOMALY_OPTIONS: AnomalyOptions = Object.freeze({
  minHistoryMonths: 3,
  threshold: 3.5,
  trailingMonths: 12,
});

/** Fewer other towns than this with a comparable value: the town is judged on its own history alone. */
export const MIN_PEERS = 3;

/** The anomalies of a month. */
export interface AnomalyDetection {
  /** One row per town (in the order given) and metric (in `ANOMALY_METRICS` order). */
  rows: AnomalyRow[];
  /** Distinct months of history within the trailing window before the month. */
  historyMonths: number;
  /** Bilingual (Chinese / English) note on what could not be judged for the whole month, if anything. */
  note: string | undefined;
}

/** One town and metric, judged against the town's own history. */
interface Assessment {
  readonly series: TownSeries;
  readonly reading: MetricReading;
  readonly baseline: number | undefined;
  readonly low: number | undefined;
  readonly high: number | undefined;
  readonly z: number | null;
  /** What the other towns are compared on (see `MetricReading.peerChange`). */
  readonly change: number | undefined;
  /** The spread in the unit of `change`: as is for growth, relative to the baseline for a level. */
  readonly changeSpread: number | undefined;
}

/**
 * Flags towns whose indicators of the month depart from the town's own history AND from the other
 * towns of the same month (a city-wide change, such as a policy raising every amount, is no town's
 * anomaly). For every town of `current` and every metric of `ANOMALY_METRICS`:
 *
 * 1. Own history: the baseline is the median of the town's values over the trailing window; the
 *    spread is 1.4826 × MAD, never below the metric's noise floor (see `MetricReading.floor`: Poisson
 *    noise for counts, 2 % of the baseline for levels); the score is the robust z
 *    (value − baseline) / spread and the band baseline ± threshold × spread (clamped at 0, or −100 %
 *    for growth).
 * 2. Peers: what moved the other towns this month — the median of their growth (for growth) or of
 *    their change against their own baselines (for levels). The peer z is the town's departure from
 *    that median in its own spreads, divided by how much more than their own spreads the other towns
 *    scatter around it this month (1.4826 × MAD of their standardized departures, at least 1).
 * 3. Flagged when, with enough history (`minHistoryMonths` months in the window, and as many values
 *    of the town — one fewer for growth), |score| > threshold, the departure is worth at least
 *    `MIN_RECIPIENTS_MOVED` recipients (share, growth, total), and the peer z exceeds the threshold in
 *    the same direction — or fewer than `MIN_PEERS` other towns can be compared.
 *
 * Values, baselines and bands are rounded to `METRIC_DECIMALS`, scores to 2 decimals. History rows of
 * the month or later are ignored; towns match history case-insensitively by code.
 * @throws RangeError when an option is out of range, a row of `current` has another month than the
 *   first or is not `YYYY-MM`, or `current` names a town twice.
 */
export function detectAnomalies(
  current: readonly TownMonthMetrics[],
  history: readonly TownMonthMetrics[],
  options: Partial<AnomalyOptions> = {},
): AnomalyDetection {
  const opts = resolveOptions(options);
  const month = current[0]?.month;
  if (month === undefined) return { rows: [], historyMonths: 0, note: undefined };
  checkCurrent(month, current);
  const earlier = history.filter((r) => isMonth(r.month) && r.month < month);
  const historyMonths = new Set(trailingHistory(month, earlier, opts.trailingMonths).map((r) => r.month))
    .size;
  const enough = historyMonths >= opts.minHistoryMonths;
  const series = townSeries(current, earlier, opts.trailingMonths);

  const byMetric = new Map<AnomalyMetric, Assessment[]>(
    ANOMALY_METRICS.map((metric) => [metric, series.map((s) => assess(metric, s, opts.threshold))]),
  );
  const rows: AnomalyRow[] = [];
  for (let i = 0; i < series.length; i++) {
    for (const metric of ANOMALY_METRICS) {
      const all = byMetric.get(metric) as Assessment[];
      rows.push(judge(all[i] as Assessment, peersOf(all, i), { month, enough, historyMonths, opts }));
    }
  }
  return { rows, historyMonths, note: monthNote(month, earlier, historyMonths, enough, opts) };
}

function resolveOptions(options: Partial<AnomalyOptions>): AnomalyOptions {
  const opts: AnomalyOptions = {
    minHistoryMonths: options.minHistoryMonths ?? DEFAULT_ANOMALY_OPTIONS.minHistoryMonths,
    threshold: options.threshold ?? DEFAULT_ANOMALY_OPTIONS.threshold,
    trailingMonths: options.trailingMonths ?? DEFAULT_ANOMALY_OPTIONS.trailingMonths,
  };
  if (!Number.isFinite(opts.threshold) || opts.threshold <= 0) {
    throw new RangeError(`threshold must be a positive number, got ${opts.threshold}`);
  }
  if (!Number.isInteger(opts.minHistoryMonths) || opts.minHistoryMonths < 1) {
    throw new RangeError(`minHistoryMonths must be a whole number >= 1, got ${opts.minHistoryMonths}`);
  }
  if (!Number.isInteger(opts.trailingMonths) || opts.trailingMonths < opts.minHistoryMonths) {
    throw new RangeError(
      `trailingMonths must be a whole number >= minHistoryMonths (${opts.minHistoryMonths}), got ${opts.trailingMonths}`,
    );
  }
  return opts;
}

function checkCurrent(month: string, current: readonly TownMonthMetrics[]): void {
  if (!isMonth(month)) throw new RangeError(`not a YYYY-MM month: "${month}"`);
  const towns = new Set<string>();
  for (const row of current) {
    if (row.month !== month) throw new RangeError(`rows of two months given: ${month} and ${row.month}`);
    const key = townKey(row.town);
    if (towns.has(key)) throw new RangeError(`town "${row.town}" is given twice for ${month}`);
    towns.add(key);
  }
}

function assess(metric: AnomalyMetric, series: TownSeries, threshold: number): Assessment {
  const reading = readMetric(metric, series);
  const baseline = median(reading.history);
  if (baseline === undefined) {
    return {
      series,
      reading,
      baseline,
      low: undefined,
      high: undefined,
      z: null,
      change: undefined,
      changeSpread: undefined,
    };
  }
  const spread = robustSpread(reading.history, reading.floor(baseline));
  const bottom = metric === 'recipients_growth' ? -1 : 0;
  const available = reading.unavailable === undefined;
  return {
    series,
    reading,
    baseline,
    low: Math.max(baseline - threshold * spread, bottom),
    high: baseline + threshold * spread,
    z: available ? robustZ(reading.value, baseline, spread) : null,
    change: available ? reading.peerChange(baseline) : undefined,
    changeSpread: metric === 'recipients_growth' ? spread : baseline > 0 ? spread / baseline : undefined,
  };
}

/** The other towns' comparable changes, each with its own spread. */
interface Peer {
  readonly change: number;
  readonly spread: number;
}

function peersOf(all: readonly Assessment[], i: number): Peer[] {
  const peers: Peer[] = [];
  all.forEach((a, j) => {
    const { change, changeSpread: spread } = a;
    if (j === i || change === undefined || spread === undefined) return;
    if (Number.isFinite(change) && spread > 0) peers.push({ change, spread });
  });
  return peers;
}

/**
 * The town's departure from the other towns: its change minus theirs (median), in its own spreads,
 * divided by how much more than their own spreads the other towns scatter this month (at least 1:
 * 1.4826 × MAD of their standardized departures from the same median).
 */
function peerScore(a: Assessment, peers: readonly Peer[], center: number): number | null {
  if (a.change === undefined || a.changeSpread === undefined) return null;
  const scatter = robustSpread(
    peers.map((p) => (p.change - center) / p.spread),
    1,
  );
  return robustZ(a.change, center, a.changeSpread * scatter);
}

interface MonthContext {
  readonly month: string;
  readonly enough: boolean;
  readonly historyMonths: number;
  readonly opts: AnomalyOptions;
}

function judge(a: Assessment, peers: readonly Peer[], context: MonthContext): AnomalyRow {
  const { reading } = a;
  const metric = reading.metric;
  const peerCenter = peers.length >= MIN_PEERS ? median(peers.map((p) => p.change)) : undefined;
  const verdict = verdictOf(a, peers, peerCenter, context);
  const decimals = METRIC_DECIMALS[metric];
  return {
    month: context.month,
    town: a.series.current.town,
    metric,
    value: round(reading.value, decimals),
    baseline: roundOrNull(a.baseline, decimals),
    expectedLow: roundOrNull(a.low, decimals),
    expectedHigh: roundOrNull(a.high, decimals),
    score: a.z === null ? null : round(a.z, 2),
    flagged: verdict.kind === 'flagged' || verdict.kind === 'flagged-no-peers',
    explanation: explainAnomaly({
      metric,
      value: reading.value,
      unavailable: reading.unavailable,
      previousMonth: previousMonth(context.month),
      baseline: a.baseline,
      low: a.low,
      high: a.high,
      change: a.change,
      peers: peerCenter,
      verdict,
    }),
  };
}

function verdictOf(
  a: Assessment,
  peers: readonly Peer[],
  peerCenter: number | undefined,
  { enough, historyMonths, opts }: MonthContext,
): Verdict {
  const { reading, baseline } = a;
  if (!enough) return { kind: 'not-enough-history', months: historyMonths, needed: opts.minHistoryMonths };
  if (reading.unavailable !== undefined) return { kind: 'unavailable' };
  const needed =
    reading.metric === 'recipients_growth' ? Math.max(opts.minHistoryMonths - 1, 1) : opts.minHistoryMonths;
  if (baseline === undefined || reading.history.length < needed) {
    return { kind: 'town-history-short', values: reading.history.length, needed };
  }
  if (a.z === null || Math.abs(a.z) <= opts.threshold) return { kind: 'within-band' };
  const moved = reading.recipientsMoved(baseline);
  if (moved !== undefined && moved < MIN_RECIPIENTS_MOVED)
    return { kind: 'small-change', minimum: MIN_RECIPIENTS_MOVED };
  const peerZ = peerCenter === undefined ? null : peerScore(a, peers, peerCenter);
  if (peerZ === null) return { kind: 'flagged-no-peers' };
  if (Math.abs(peerZ) <= opts.threshold) return { kind: 'peers-alike' };
  // Beyond the band, but short of what moved the other towns (e.g. +8 % where they rose +20 %).
  if (Math.sign(peerZ) !== Math.sign(a.z)) return { kind: 'peers-further' };
  return { kind: 'flagged' };
}

function monthNote(
  month: string,
  earlier: readonly TownMonthMetrics[],
  historyMonths: number,
  enough: boolean,
  opts: AnomalyOptions,
): string | undefined {
  if (!enough) {
    if (earlier.length === 0) {
      return `${month} 之前尚无历史数据，暂不能标记异常 / no history before ${month}: nothing can be flagged yet`;
    }
    return (
      `${month} 之前 ${opts.trailingMonths} 个月内仅有 ${historyMonths} 个月历史数据（需 ${opts.minHistoryMonths} 个月），暂不能标记异常 / ` +
      `only ${historyMonths} month(s) of history in the ${opts.trailingMonths} months before ${month} ` +
      `(${opts.minHistoryMonths} needed): nothing can be flagged yet`
    );
  }
  const previous = previousMonth(month);
  if (!earlier.some((r) => r.month === previous)) {
    return `缺少 ${previous} 的指标，无法计算环比 / no metrics for ${previous}: month-on-month growth cannot be judged`;
  }
  return undefined;
}

/** Rounds to `decimals` decimals exactly as `toFixed` (and so the CSV) does; never −0. */
function round(value: number, decimals: number): number {
  const rounded = Number(value.toFixed(decimals));
  return rounded === 0 ? 0 : rounded;
}

function roundOrNull(value: number | undefined, decimals: number): number | null {
  return value === undefined ? null : round(value, decimals);
}
