import type { AnomalyMetric, TownMonthMetrics } from '#schemas/metrics.ts';
import { robustSpread, robustZ } from './robust-stats.ts';
import type { WatchedUnit } from './town-history.ts';

/** One unit of a group (a category, or all categories) as the peer comparison needs it. */
export interface PeerCandidate {
  readonly unit: WatchedUnit;
  /** This month's change of the metric (see `MetricChange.change`). */
  readonly change: number | undefined;
  /** The month it is measured from, and the months in between. */
  readonly reference: { readonly month: string; readonly gap: number } | undefined;
  /** How the unit usually departs from the city in a month (fraction). */
  readonly drift: number | undefined;
  /** The spread of a one-month change (fraction). */
  readonly spread: number | undefined;
}

/** What the other towns say of one unit's change this month. */
export interface PeerComparison {
  /**
   * The other towns' median change since the unit's reference month, as it applies to the unit (of
   * the two readings of a change of money, the one nearer the unit's).
   */
  readonly centre: number;
  /** The unit's departure from `centre` (and from its usual departure from the city), as a fraction. */
  readonly departure: number;
  /** `departure` in the unit's own spreads. */
  readonly z: number | null;
  /**
   * How much more than their own spreads the other towns scatter around their centres this month
   * (1.4826 × MAD of their standardized departures, at least 1): a departure within `z` × scatter
   * is no more than what the others did.
   */
  readonly scatter: number;
}

/** How a unit moved between two months: recipients, share, the average (as a fraction and in yuan), the total. */
interface Moves {
  readonly growth: number | undefined;
  readonly share: number | undefined;
  readonly average: number | undefined;
  readonly averageYuan: number | undefined;
  readonly total: number | undefined;
}

const average = (row: TownMonthMetrics) =>
  row.recipients > 0 ? row.totalAmountFen / 100 / row.recipients : undefined;

function movesOf(unit: WatchedUnit, month: string, since: string): Moves {
  const now = unit.at(month);
  const before = unit.at(since);
  if (now === undefined || before === undefined) {
    return {
      growth: undefined,
      share: undefined,
      average: undefined,
      averageYuan: undefined,
      total: undefined,
    };
  }
  const shareNow = now.population > 0 ? now.recipients / now.population : undefined;
  const shareBefore = before.population > 0 ? before.recipients / before.population : undefined;
  const [a, b] = [average(now), average(before)];
  return {
    growth: before.recipients > 0 ? now.recipients / before.recipients - 1 : undefined,
    share:
      shareNow !== undefined && shareBefore !== undefined && shareBefore > 0
        ? shareNow / shareBefore - 1
        : undefined,
    average: a !== undefined && b !== undefined && b > 0 ? a / b - 1 : undefined,
    averageYuan: a !== undefined && b !== undefined ? a - b : undefined,
    total: before.totalAmountFen > 0 ? now.totalAmountFen / before.totalAmountFen - 1 : undefined,
  };
}

/**
 * The median of sorted `values` without one occurrence of `left` (all of them when `left` is
 * `undefined` or absent).
 */
function medianExcept(values: readonly number[], left: number | undefined): number | undefined {
  const at = left === undefined ? -1 : values.indexOf(left);
  const n = values.length - (at < 0 ? 0 : 1);
  if (n <= 0) return undefined;
  const nth = (k: number) => values[at >= 0 && k >= at ? k + 1 : k] as number;
  const middle = n >> 1;
  return n % 2 === 1 ? nth(middle) : (nth(middle - 1) + nth(middle)) / 2;
}

/**
 * Compares each unit's change this month with the other units of its group (the same category of
 * the other towns), measured since the same reference month, for units that can be judged; at
 * least `minPeers` others must have moved comparably, else the unit has no comparison.
 *
 * Counts are compared as fractions. Money is read both ways a city's change of money happens, and
 * the reading nearer the unit's change is the one it is compared with: as a fraction (every amount
 * raised by 5 %), or in yuan (a raise of a standard adds the same yuan to every top-up, a larger
 * fraction of a smaller one) — the average's change as the other towns' median rise in yuan over
 * this unit's average, the total's as their median growth in recipients together with that rise.
 * @returns one comparison per candidate, in order; `undefined` where it cannot be made.
 */
export function comparePeers(
  metric: AnomalyMetric,
  month: string,
  candidates: readonly PeerCandidate[],
  minPeers: number,
): (PeerComparison | undefined)[] {
  const cache = new Map<string, Moves>();
  const moves = (j: number, since: string) => {
    const key = `${j}\u0000${since}`;
    let m = cache.get(key);
    if (m === undefined) {
      m = movesOf((candidates[j] as PeerCandidate).unit, month, since);
      cache.set(key, m);
    }
    return m;
  };
  // Each term's values since a month, sorted once: a unit's peers are all the others.
  const sorted = new Map<string, number[]>();
  const termValues = (term: keyof Moves, since: string) => {
    const key = `${term}\u0000${since}`;
    let values = sorted.get(key);
    if (values === undefined) {
      values = candidates
        .map((_, j) => moves(j, since)[term])
        .filter((v): v is number => v !== undefined && Number.isFinite(v))
        .sort((a, b) => a - b);
      sorted.set(key, values);
    }
    return values;
  };
  /** The other units' median change since `since`, as it applies to unit `i`. */
  const centreFor = (i: number, since: string): number[] | undefined => {
    const own = (candidates[i] as PeerCandidate).unit;
    const pick = (term: keyof Moves) => {
      const mine = moves(i, since)[term];
      const values = termValues(term, since);
      const count = values.length - (mine !== undefined && Number.isFinite(mine) ? 1 : 0);
      return count >= minPeers ? medianExcept(values, mine) : undefined;
    };
    switch (metric) {
      case 'recipients_growth':
        return defined([pick('growth')]);
      case 'recipients_share':
        return defined([pick('share')]);
      case 'average_amount':
      case 'total_amount': {
        const before = own.at(since);
        const base = before === undefined ? undefined : average(before);
        const rise = pick('averageYuan');
        const inYuan = base === undefined || base <= 0 || rise === undefined ? undefined : rise / base;
        if (metric === 'average_amount') return defined([pick('average'), inYuan]);
        const growth = pick('growth');
        return defined([
          pick('total'),
          inYuan === undefined || growth === undefined ? undefined : (1 + growth) * (1 + inYuan) - 1,
        ]);
      }
    }
  };
  const judged = candidates.map(
    (c) => c.change !== undefined && c.reference !== undefined && c.spread !== undefined,
  );
  const centres = candidates.map((c, i) =>
    judged[i] ? centreFor(i, (c.reference as { month: string }).month) : undefined,
  );
  /** The unit's change less its usual departure from the city, and the centre nearest it. */
  const nearest = (i: number) => {
    const c = candidates[i] as PeerCandidate;
    const options = centres[i];
    if (!judged[i] || options === undefined) return undefined;
    const gap = (c.reference as { gap: number }).gap;
    const own = (c.change as number) - (c.drift ?? 0) * gap;
    const centre = options.reduce((best, x) => (Math.abs(own - x) < Math.abs(own - best) ? x : best));
    return { own, centre, scale: (c.spread as number) * Math.sqrt(gap) };
  };
  const standardized = candidates.map((_, i) => {
    const n = nearest(i);
    return n === undefined ? undefined : (n.own - n.centre) / n.scale;
  });
  return candidates.map((_, i) => {
    const n = nearest(i);
    if (n === undefined) return undefined;
    const scatter = robustSpread(
      standardized.filter((d, j): d is number => j !== i && d !== undefined && Number.isFinite(d)),
      1,
    );
    return { centre: n.centre, departure: n.own - n.centre, z: robustZ(n.own, n.centre, n.scale), scatter };
  });
}

/** The readings that could be made; `undefined` when none. */
function defined(readings: readonly (number | undefined)[]): number[] | undefined {
  const made = readings.filter((r): r is number => r !== undefined && Number.isFinite(r));
  return made.length > 0 ? made : undefined;
}
