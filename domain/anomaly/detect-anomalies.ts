import type { CategoryCode } from '#schemas/categories.ts';
import {
  ANOMALY_METRICS,
  type AnomalyMetric,
  type AnomalyRow,
  METRIC_DECIMALS,
  type TownMonthMetrics,
} from '#schemas/metrics.ts';
import { isMonth, previousMonth } from '#schemas/month.ts';
import { explainAnomaly, type Verdict } from './anomaly-explanation.ts';
import { type CategoryShift, categoryShifts } from './category-shift.ts';
import { cityTurnover, type TurnoverPoint } from './city-turnover.ts';
import { type MetricChange, metricChange } from './metric-change.ts';
import { comparePeers, type PeerComparison } from './peer-change.ts';
import { MAD_SCALE, median, medianAbsoluteDeviation, robustZ, smallSampleFactor } from './robust-stats.ts';
import { townKey, trailingHistory, trailingWindow, type WatchedUnit, watchedUnits } from './town-history.ts';

/** How anomalies are judged. */
export interface AnomalyOptions {
  /** Months of history (within the trailing window) needed before anything is flagged. @default 3 */
  readonly minHistoryMonths: number;
  /** A change is flagged only beyond this many spreads, from its own history and from its peers. @default 3.5 */
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
/** A departure worth fewer recipients (or usual payments) than this is never flagged. */
export const MIN_RECIPIENTS_MOVED = 10;
/** No change's spread is taken below this fraction: a history that never moved is not exact. */
export const RELATIVE_FLOOR = 0.005;
/**
 * A unit's usual change (and its usual departure from the city) is the median of its past changes
 * drawn towards none, as if this many more months had not moved: the median of a few noisy months
 * is a weak guess of a trend, and taking it at face value flags what is only noise.
 */
export const DRIFT_PRIOR_MONTHS = 4;

/** The anomalies of a month. */
export interface AnomalyDetection {
  /**
   * One row per town (in the order given), category (all categories first, then those of table 2.2
   * the town paid this month or last, in that order) and metric (in `ANOMALY_METRICS` order).
   */
  rows: AnomalyRow[];
  /** Distinct months of history within the trailing window before the month. */
  historyMonths: number;
  /** Bilingual (Chinese / English) note on what could not be judged for the whole month, if anything. */
  note: string | undefined;
}

/** One unit and metric, judged against its own history. */
interface Assessment {
  readonly unit: WatchedUnit;
  readonly metric: AnomalyMetric;
  readonly now: MetricChange;
  /** Changes of the unit in its trailing window, each from the month before. */
  readonly historyValues: number;
  /** The unit's usual change (median of its past changes), `undefined` without any. */
  readonly usual: number | undefined;
  /** The unit's usual change against the city's (median of its past departures from the city). */
  readonly drift: number | undefined;
  /** The spread of a one-month change; `undefined` when the change cannot be judged. */
  readonly spread: number | undefined;
  /** The robust z of this month's change against the unit's own history. */
  readonly z: number | null;
}

/**
 * Flags the towns, and the categories of a town, whose indicators moved this month away from their
 * own history AND from the other towns (a city-wide change, such as a raise of every DIBAO top-up,
 * is no town's anomaly).
 *
 * Every town is judged for all categories together and for each category of table 2.2 it paid this
 * month or last (see `watchedUnits`; a category is compared with the same category of the other
 * towns). Every metric is judged on its change since last month (see `metricChange`): growth itself,
 * and for a level (share, average, total) its value over last month's − 1. A caseload is a stock
 * that moves by a few entries and exits a month, so:
 *
 * 1. Own history: the unit's changes over the trailing window. Its usual change is their median
 *    (drawn towards none, see {@link DRIFT_PRIOR_MONTHS}); its
 *    spread is 1.4826 × MAD of their departures from the city's change of the same month (so that a
 *    past city-wide change or season does not widen it), corrected for few values
 *    (`smallSampleFactor`), and never below the city's typical turnover for a unit of its size
 *    (`cityTurnover`: what a town with a short or flat history is expected to move by), one
 *    recipient for counts, or {@link RELATIVE_FLOOR}. The score is (change − usual) / spread; the
 *    band is the value that change spans, usual ± threshold × spread.
 * 2. Peers: the other towns' median change this month (see `comparePeers`). The peer z is the
 *    unit's departure from it (and from its own usual departure from the city) in its own spreads;
 *    it must also exceed how much more than their own spreads the other towns scatter this month.
 * 3. Flagged when, with enough history (`minHistoryMonths` months in the window, and one fewer
 *    changes of the unit), |score| > threshold, the peer z exceeds the threshold (times the other
 *    towns' scatter) in the same direction — or fewer than {@link MIN_PEERS} other towns can be
 *    compared — and both departures are worth at least {@link MIN_RECIPIENTS_MOVED} recipients
 *    (counts) or usual payments (amounts).
 *
 * A flagged category whose people moved to or from other categories of the town while its total
 * stayed flat (`categoryShifts`) says so in its explanation.
 *
 * Values, baselines and bands are rounded to `METRIC_DECIMALS`, scores to 2 decimals. History rows of
 * the month or later are ignored; towns match history case-insensitively by code.
 * @throws RangeError when an option is out of range, a row of `current` has another month than the
 *   first or is not `YYYY-MM`, or `current` names a town (or a town's category) twice.
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
  const context: MonthContext = {
    month,
    window: trailingWindow(month, opts.trailingMonths).reverse(),
    enough: historyMonths >= opts.minHistoryMonths,
    historyMonths,
    opts,
  };
  const units = watchedUnits(current, earlier);
  const judged = new Map<WatchedUnit, Map<AnomalyMetric, Judged>>(units.map((u) => [u, new Map()]));
  for (const group of groupByCategory(units)) {
    for (const metric of ANOMALY_METRICS) {
      for (const j of judgeGroup(group, metric, context)) judged.get(j.a.unit)?.set(metric, j);
    }
  }
  const shifts = shiftsOf(units, judged, month);
  const rows = units.flatMap((unit) =>
    ANOMALY_METRICS.map((metric) =>
      rowOf(judged.get(unit)?.get(metric) as Judged, { shifts, units, judged }, context),
    ),
  );
  return { rows, historyMonths, note: monthNote(month, earlier, historyMonths, context.enough, opts) };
}

interface MonthContext {
  readonly month: string;
  /** The trailing window, oldest first. */
  readonly window: readonly string[];
  readonly enough: boolean;
  readonly historyMonths: number;
  readonly opts: AnomalyOptions;
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
  const seen = new Set<string>();
  for (const row of current) {
    if (row.month !== month) throw new RangeError(`rows of two months given: ${month} and ${row.month}`);
    const key = `${townKey(row.town)}\u0000${row.category ?? ''}`;
    if (seen.has(key)) {
      const what = row.category === undefined ? `town "${row.town}"` : `town "${row.town}" ${row.category}`;
      throw new RangeError(`${what} is given twice for ${month}`);
    }
    seen.add(key);
  }
}

function groupByCategory(units: readonly WatchedUnit[]): WatchedUnit[][] {
  const groups = new Map<CategoryCode | undefined, WatchedUnit[]>();
  for (const unit of units) groups.set(unit.category, [...(groups.get(unit.category) ?? []), unit]);
  return [...groups.values()];
}

/** An assessment with its verdict and what the explanation tells of the other towns. */
interface Judged {
  readonly a: Assessment;
  readonly verdict: Verdict;
  /** The other towns' median change this month (as it applies to the unit), when enough have one. */
  readonly peers: number | undefined;
}

/** One unit's past change: its value, the city's that month, and the recipients it started from. */
interface PastChange {
  readonly month: string;
  readonly change: number;
  readonly recipients: number;
}

/** Judges one metric of the units of one category (or of all categories) of the month. */
function judgeGroup(units: readonly WatchedUnit[], metric: AnomalyMetric, context: MonthContext): Judged[] {
  const { month, window, opts } = context;
  const past: PastChange[][] = units.map((unit) =>
    window.flatMap((m) => {
      const c = metricChange(metric, unit, m, 1);
      return c?.change === undefined || c.reference === undefined
        ? []
        : [{ month: m, change: c.change, recipients: c.reference.recipients }];
    }),
  );
  const byMonth = new Map<string, number[]>();
  for (const c of past.flat()) byMonth.set(c.month, [...(byMonth.get(c.month) ?? []), c.change]);
  const cityChange = new Map(
    [...byMonth].map(([m, changes]) => [m, changes.length > MIN_PEERS ? (median(changes) as number) : 0]),
  );
  // Departures from the city, counted in recipients (usual payments for amounts): a change of a
  // unit that paid few people last month is measured against what it usually pays, not that month.
  const departures = past.map((p) =>
    p.map((c) => (c.change - (cityChange.get(c.month) ?? 0)) * c.recipients),
  );
  const shrink = (k: number) => k / (k + DRIFT_PRIOR_MONTHS);
  const drifts = departures.map((d) => {
    const m = median(d);
    return m === undefined ? undefined : m * shrink(d.length);
  });
  const sizes = units.map((unit, i) => {
    const now = metricChange(metric, unit, month, opts.trailingMonths)?.reference?.recipients;
    return Math.max(median((past[i] as PastChange[]).map((c) => c.recipients)) ?? now ?? 1, 1);
  });
  const points: TurnoverPoint[] = departures.flatMap((d, owner) =>
    d.map((u) => ({
      owner,
      recipients: sizes[owner] as number,
      departure: u / Math.sqrt(sizes[owner] as number),
    })),
  );
  const turnover = cityTurnover(points);
  const assessments = units.map((unit, i): Assessment => {
    const now = metricChange(metric, unit, month, opts.trailingMonths) as MetricChange;
    const own = departures[i] as number[];
    const middle = median((past[i] as PastChange[]).map((c) => c.change));
    const usual = middle === undefined ? undefined : middle * shrink(own.length);
    const reference = now.reference;
    const size = sizes[i] as number;
    const spread =
      reference === undefined || reference.recipients <= 0
        ? undefined
        : Math.max(
            own.length >= 2
              ? MAD_SCALE * (medianAbsoluteDeviation(own) as number) * smallSampleFactor(own.length)
              : 0,
            turnover(size, i) ?? 0,
            floorOf(metric, reference.recipients),
          ) / reference.recipients;
    const gap = reference?.gap ?? 1;
    return {
      unit,
      metric,
      now,
      historyValues: own.length,
      usual,
      drift: drifts[i] === undefined ? undefined : (drifts[i] as number) / size,
      spread,
      z:
        now.change === undefined || usual === undefined || spread === undefined
          ? null
          : robustZ(now.change, usual * gap, spread * Math.sqrt(gap)),
    };
  });
  const comparisons = comparePeers(
    metric,
    month,
    assessments.map((a) => ({
      unit: a.unit,
      change: a.now.change,
      reference: a.now.reference,
      drift: a.drift,
      spread: a.spread,
    })),
    MIN_PEERS,
  );
  return assessments.map((a, i) => {
    const peer = comparisons[i];
    return { a, verdict: verdictOf(a, peer, context), peers: peer?.centre };
  });
}

/**
 * The spread, in recipients (usual payments for amounts), below which no change's noise is taken:
 * {@link RELATIVE_FLOOR} of them, and at least one recipient for counts.
 */
function floorOf(metric: AnomalyMetric, recipients: number): number {
  const counts = metric === 'recipients_share' || metric === 'recipients_growth';
  return Math.max(RELATIVE_FLOOR * recipients, counts ? 1 : 0);
}

function verdictOf(
  a: Assessment,
  peer: PeerComparison | undefined,
  { enough, historyMonths, opts }: MonthContext,
): Verdict {
  const { now, usual } = a;
  if (!enough) return { kind: 'not-enough-history', months: historyMonths, needed: opts.minHistoryMonths };
  if (now.unavailable !== undefined) return { kind: 'unavailable' };
  const needed = Math.max(opts.minHistoryMonths - 1, 1);
  if (usual === undefined || a.historyValues < needed) {
    return { kind: 'town-history-short', values: a.historyValues, needed };
  }
  if (a.z === null || Math.abs(a.z) <= opts.threshold) return { kind: 'within-band' };
  const peerZ = peer?.z ?? null;
  if (peerZ !== null && Math.abs(peerZ) <= opts.threshold) return { kind: 'peers-alike' };
  // Beyond the band, but short of what moved the other towns (e.g. +8 % where they rose +20 %).
  if (peerZ !== null && Math.sign(peerZ) !== Math.sign(a.z)) return { kind: 'peers-further' };
  // What the change is worth in recipients: its departure from the town's usual change, or from
  // the other towns' change when that is nearer (a city-wide raise is not the town's doing).
  const reference = now.reference;
  const departure =
    reference === undefined || now.change === undefined ? 0 : Math.abs(now.change - usual * reference.gap);
  const moved = Math.min(departure, Math.abs(peer?.departure ?? departure)) * (reference?.recipients ?? 0);
  if (moved < MIN_RECIPIENTS_MOVED) return { kind: 'small-change', minimum: MIN_RECIPIENTS_MOVED };
  if (peerZ !== null && Math.abs(peerZ) <= opts.threshold * (peer?.scatter ?? 1)) {
    return { kind: 'peers-scattered' };
  }
  return peerZ === null ? { kind: 'flagged-no-peers' } : { kind: 'flagged' };
}

const isFlagged = (verdict: Verdict) => verdict.kind === 'flagged' || verdict.kind === 'flagged-no-peers';

/** Every unit's judgements and the towns' category shifts: what a town's rows are read with. */
interface CategoryContext {
  readonly shifts: Shifts;
  readonly units: readonly WatchedUnit[];
  readonly judged: ReadonlyMap<WatchedUnit, ReadonlyMap<AnomalyMetric, Judged>>;
}

/** What a category shift changes in the rows of a town. */
interface Shifts {
  /** The shift each flagged category of it belongs to, by unit. */
  readonly categories: Map<WatchedUnit, CategoryShift>;
  /** The categories concerned, by the town's all-categories unit. */
  readonly towns: Map<WatchedUnit, readonly { readonly category: CategoryCode; readonly delta: number }[]>;
}

/** The category shifts of every town this month (see `categoryShifts`). */
function shiftsOf(
  units: readonly WatchedUnit[],
  judged: ReadonlyMap<WatchedUnit, ReadonlyMap<AnomalyMetric, Judged>>,
  month: string,
): Shifts {
  const shifts: Shifts = { categories: new Map(), towns: new Map() };
  const countFlagged = (unit: WatchedUnit) =>
    (['recipients_growth', 'recipients_share'] as const).some((m) => {
      const j = judged.get(unit)?.get(m);
      return j !== undefined && isFlagged(j.verdict);
    });
  const delta = (unit: WatchedUnit) =>
    (unit.at(month)?.recipients ?? 0) - (unit.at(previousMonth(month))?.recipients ?? 0);
  for (const town of units.filter((u) => u.category === undefined)) {
    const categories = units.filter((u) => u.town === town.town && u.category !== undefined);
    if (categories.length === 0) continue;
    const found = categoryShifts(
      {
        delta: delta(town),
        flagged: countFlagged(town),
        change: judged.get(town)?.get('recipients_growth')?.a.now.change,
      },
      categories.map((u) => ({
        category: u.category as CategoryCode,
        delta: delta(u),
        flagged: countFlagged(u),
      })),
      MIN_RECIPIENTS_MOVED,
    );
    if (found.moves.length > 0) shifts.towns.set(town, found.moves);
    for (const unit of categories) {
      const shift = found.byCategory.get(unit.category as CategoryCode);
      if (shift !== undefined) shifts.categories.set(unit, shift);
    }
  }
  return shifts;
}

/**
 * The verdict of a town's all-categories row once its categories are judged. Its money is not
 * flagged when what moved it is already told by its categories: people moving between categories
 * of different amounts (a shift, flagged on those categories), or a few people in categories none
 * of which moved enough to be flagged (4 more children at 1,950 yuan lift a town of 40 by a third).
 */
function afterCategories(
  j: Judged,
  shifts: Shifts,
  units: readonly WatchedUnit[],
  judged: ReadonlyMap<WatchedUnit, ReadonlyMap<AnomalyMetric, Judged>>,
  month: string,
): Verdict {
  const { unit, metric } = j.a;
  const money = metric === 'average_amount' || metric === 'total_amount';
  if (!money || unit.category !== undefined || !isFlagged(j.verdict)) return j.verdict;
  const moves = shifts.towns.get(unit);
  if (moves !== undefined) return { kind: 'category-shift', moves };
  const categories = units.filter((u) => u.town === unit.town && u.category !== undefined);
  const anyFlagged = [unit, ...categories].some((u) =>
    [...(judged.get(u)?.entries() ?? [])].some(
      ([m, v]) =>
        isFlagged(v.verdict) && (u !== unit || m === 'recipients_growth' || m === 'recipients_share'),
    ),
  );
  if (categories.length === 0 || anyFlagged) return j.verdict;
  const few = categories
    .map((u) => ({
      category: u.category as CategoryCode,
      delta: (u.at(month)?.recipients ?? 0) - (u.at(previousMonth(month))?.recipients ?? 0),
    }))
    .filter((m) => m.delta !== 0)
    .toSorted((a, b) => Math.abs(b.delta) - Math.abs(a.delta))
    .slice(0, 3);
  return { kind: 'few-in-categories', moves: few, minimum: MIN_RECIPIENTS_MOVED };
}

function rowOf(j: Judged, categories: CategoryContext, context: MonthContext): AnomalyRow {
  const { a } = j;
  const { shifts } = categories;
  const verdict = afterCategories(j, shifts, categories.units, categories.judged, context.month);
  const shift = shifts.categories.get(a.unit);
  const { metric, now, usual, spread } = a;
  const threshold = context.opts.threshold;
  const reference = now.reference;
  const gap = reference?.gap ?? 1;
  const band = (offset: number) => {
    if (usual === undefined || spread === undefined) return undefined;
    const change = usual * gap + offset * spread * Math.sqrt(gap);
    if (metric === 'recipients_growth') return change;
    return reference === undefined ? undefined : reference.level * (1 + change);
  };
  const bottom = metric === 'recipients_growth' ? -1 : 0;
  const low = band(-threshold);
  const baseline = band(0);
  const high = band(threshold);
  const decimals = METRIC_DECIMALS[metric];
  const flagged = isFlagged(verdict);
  return {
    month: context.month,
    town: a.unit.town,
    category: a.unit.category ?? null,
    metric,
    value: round(now.value, decimals),
    baseline: roundOrNull(baseline, decimals),
    expectedLow: roundOrNull(low === undefined ? undefined : Math.max(low, bottom), decimals),
    expectedHigh: roundOrNull(high, decimals),
    score: a.z === null ? null : round(a.z, 2),
    flagged,
    explanation: explainAnomaly({
      metric,
      category: a.unit.category,
      value: now.value,
      unavailable: now.unavailable,
      previousMonth: previousMonth(context.month),
      reference: reference?.month,
      baseline,
      low: low === undefined ? undefined : Math.max(low, bottom),
      high,
      change: now.change,
      peers: j.peers,
      verdict,
      shift: flagged ? shift : undefined,
    }),
  };
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
  return value === undefined || !Number.isFinite(value) ? null : round(value, decimals);
}
