import type { CategoryCode } from '#schemas/categories.ts';
import type { TownMonthMetrics } from '#schemas/metrics.ts';

/** mulberry32: a small seeded PRNG, uniform in [0, 1). Test data only. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A town's usual month: recipients, population and average payment (yuan). */
export interface TownProfile {
  readonly code: string;
  readonly recipients: number;
  readonly population: number;
  readonly averageYuan: number;
}

/**
 * Twenty towns of realistic sizes: 40 to 8000 recipients (log-spaced), 1–3 % of the population on
 * assistance, average payments of 500–1400 yuan.
 */
export const TOWNS: readonly TownProfile[] = Array.from({ length: 20 }, (_, i) => {
  const recipients = Math.round(40 * (8000 / 40) ** (i / 19));
  const share = 0.01 + (0.02 * ((i * 7) % 20)) / 19;
  return {
    code: `t${String(i + 1).padStart(2, '0')}`,
    recipients,
    population: Math.round(recipients / share),
    averageYuan: 500 + ((i * 13) % 20) * 47,
  };
});

/** The six months of history and the month judged. */
export const HISTORY_MONTHS = ['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09'] as const;
export const MONTH = '2026-10';

/** The town with about 1000 recipients (the 13th): the one whose numbers jump in the tests. */
export const MID_TOWN = TOWNS[12] as TownProfile;
/** The town with 40 recipients. */
export const SMALL_TOWN = TOWNS[0] as TownProfile;

/**
 * One calm month after `previous` (or after the towns' usual month): a caseload is a stock, so each
 * town's recipients move by a few entries and exits — up to ±0.35 √n, about a 2 % turnover, drawn
 * a tenth of the way back to its usual count — and its average payment by up to ±0.3 %.
 */
export function calmMonth(
  month: string,
  random: () => number,
  previous?: readonly TownMonthMetrics[],
  towns = TOWNS,
): TownMonthMetrics[] {
  return towns.map((t) => {
    const before = previous?.find((r) => r.town === t.code);
    const last = before?.recipients ?? t.recipients;
    const lastAverage =
      before && before.recipients > 0 ? before.totalAmountFen / 100 / before.recipients : t.averageYuan;
    const recipients = Math.max(
      0,
      Math.round(last + (2 * random() - 1) * 0.35 * Math.sqrt(t.recipients) + 0.1 * (t.recipients - last)),
    );
    const average = lastAverage * (1 + (2 * random() - 1) * 0.003) + 0.1 * (t.averageYuan - lastAverage);
    return {
      month,
      town: t.code,
      recipients,
      totalAmountFen: Math.round(recipients * average * 100),
      population: t.population,
    };
  });
}

/** Six calm months of history and a calm month judged, from one seed. */
export function calmTowns(seed: number): { history: TownMonthMetrics[]; current: TownMonthMetrics[] } {
  const random = seeded(seed);
  const history: TownMonthMetrics[] = [];
  let previous: TownMonthMetrics[] | undefined;
  for (const month of HISTORY_MONTHS) {
    previous = calmMonth(month, random, previous);
    history.push(...previous);
  }
  return { history, current: calmMonth(MONTH, random, previous) };
}

/** `rows` with one town set to `recipients` recipients, its average payment kept (so its total follows). */
export function withRecipients(
  rows: readonly TownMonthMetrics[],
  town: string,
  recipients: number,
): TownMonthMetrics[] {
  return rows.map((r) =>
    r.town === town && r.category === undefined
      ? { ...r, recipients, totalAmountFen: Math.round((r.totalAmountFen / r.recipients) * recipients) }
      : r,
  );
}

/** `rows` with every amount scaled by `factor` (a city-wide raise): recipients unchanged. */
export function withAmountsScaled(rows: readonly TownMonthMetrics[], factor: number): TownMonthMetrics[] {
  return rows.map((r) => ({ ...r, totalAmountFen: Math.round(r.totalAmountFen * factor) }));
}

/** The categories of the categorized city: their share of a town's people and average payment (yuan). */
export const CITY_CATEGORIES: readonly { code: CategoryCode; share: number; averageYuan: number }[] = [
  { code: 'DIBAO', share: 0.45, averageYuan: 700 },
  { code: 'TEKUN', share: 0.06, averageYuan: 1650 },
  { code: 'DIBAO_EDGE', share: 0.15, averageYuan: 660 },
  { code: 'ELDERLY', share: 0.3, averageYuan: 200 },
  { code: 'CHILD', share: 0.04, averageYuan: 1950 },
];

/**
 * A city with per-category rows: the twenty towns, each paying the categories of
 * {@link CITY_CATEGORIES} as stocks (see {@link calmMonth}); each person is in one category, so a
 * town's all-categories row is the sum of its category rows. Six calm months of history and a calm
 * month judged.
 */
export function categoryCity(seed: number): { history: TownMonthMetrics[]; current: TownMonthMetrics[] } {
  const random = seeded(seed);
  const profiles = TOWNS.flatMap((t) =>
    CITY_CATEGORIES.map((c) => ({
      town: t,
      category: c.code,
      profile: {
        code: `${t.code}|${c.code}`,
        recipients: Math.max(1, Math.round(t.recipients * c.share)),
        population: t.population,
        averageYuan: c.averageYuan,
      },
    })),
  );
  const months: TownMonthMetrics[][] = [];
  let previous: TownMonthMetrics[] | undefined;
  for (const month of [...HISTORY_MONTHS, MONTH]) {
    previous = calmMonth(
      month,
      random,
      previous,
      profiles.map((p) => p.profile),
    );
    months.push(previous);
  }
  const rows = months.map((month) => withTotals(unpack(month)));
  return { history: rows.slice(0, -1).flat(), current: rows.at(-1) as TownMonthMetrics[] };
}

/** Category rows whose town is written `town|CATEGORY`, as rows of a town and category. */
function unpack(rows: readonly TownMonthMetrics[]): TownMonthMetrics[] {
  return rows.map((r) => {
    const [town, category] = r.town.split('|') as [string, CategoryCode];
    return { ...r, town, category };
  });
}

/**
 * `rows` (category rows) with each town's all-categories row put first and recomputed as the sum
 * of its categories (one person, one category).
 */
export function withTotals(rows: readonly TownMonthMetrics[]): TownMonthMetrics[] {
  const categories = rows.filter((r) => r.category !== undefined);
  const towns = [...new Set(categories.map((r) => r.town))];
  return towns.flatMap((town) => {
    const own = categories.filter((r) => r.town === town);
    const first = own[0] as TownMonthMetrics;
    const all: TownMonthMetrics = {
      month: first.month,
      town,
      recipients: own.reduce((n, r) => n + r.recipients, 0),
      totalAmountFen: own.reduce((n, r) => n + r.totalAmountFen, 0),
      population: first.population,
    };
    return [all, ...own];
  });
}

/**
 * `rows` with `people` recipients of `town` moved from category `from` to `to` (each paid the
 * average of `to`), the town's totals recomputed.
 */
export function withShift(
  rows: readonly TownMonthMetrics[],
  town: string,
  from: CategoryCode,
  to: CategoryCode,
  people: number,
): TownMonthMetrics[] {
  const average = (r: TownMonthMetrics) => r.totalAmountFen / r.recipients;
  const source = rows.find((r) => r.town === town && r.category === from) as TownMonthMetrics;
  const target = rows.find((r) => r.town === town && r.category === to) as TownMonthMetrics;
  return withTotals(
    rows.map((r) => {
      if (r === source) {
        return {
          ...r,
          recipients: r.recipients - people,
          totalAmountFen: Math.round(average(r) * (r.recipients - people)),
        };
      }
      if (r === target) {
        return {
          ...r,
          recipients: r.recipients + people,
          totalAmountFen: Math.round(average(r) * (r.recipients + people)),
        };
      }
      return r;
    }),
  );
}

/** `rows` with every category of `town` paying `factor` times the people (each at its average). */
export function withTownJump(
  rows: readonly TownMonthMetrics[],
  town: string,
  factor: number,
): TownMonthMetrics[] {
  return withTotals(
    rows.map((r) => {
      if (r.town !== town || r.category === undefined) return r;
      const recipients = Math.round(r.recipients * factor);
      return { ...r, recipients, totalAmountFen: Math.round((r.totalAmountFen / r.recipients) * recipients) };
    }),
  );
}

/**
 * Runs `check` on the cities of seeds 0 … `count` − 1, naming the seed of a failure. The watch's
 * statistical claims (a jump is found, a calm month flags at most one town) hold for almost every
 * simulated city, not for every one — a rare draw of noise looks like a jump — so a test over
 * arbitrary seeds would fail once in thousands of runs. A fixed range gives the same verdict every
 * run; the rates themselves are measured by `npm run bench -- watch`.
 */
export function forEachSeed(count: number, check: (seed: number) => void): void {
  for (let seed = 0; seed < count; seed++) {
    try {
      check(seed);
    } catch (error) {
      throw new Error(`seed ${seed}: ${(error as Error).message}`, { cause: error });
    }
  }
}
