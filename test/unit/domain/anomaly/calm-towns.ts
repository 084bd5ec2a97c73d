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
 * One calm month: each town's recipients vary around its usual count by up to 0.8 √n (turnover,
 * under the Poisson noise of √n), its average payment by up to ±1 %.
 */
export function calmMonth(month: string, random: () => number, towns = TOWNS): TownMonthMetrics[] {
  return towns.map((t) => {
    const recipients = Math.max(
      0,
      Math.round(t.recipients + (2 * random() - 1) * 0.8 * Math.sqrt(t.recipients)),
    );
    const average = t.averageYuan * (1 + (2 * random() - 1) * 0.01);
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
  const history = HISTORY_MONTHS.flatMap((m) => calmMonth(m, random));
  return { history, current: calmMonth(MONTH, random) };
}

/** `rows` with one town set to `recipients` recipients, its average payment kept (so its total follows). */
export function withRecipients(
  rows: readonly TownMonthMetrics[],
  town: string,
  recipients: number,
): TownMonthMetrics[] {
  return rows.map((r) =>
    r.town === town
      ? { ...r, recipients, totalAmountFen: Math.round((r.totalAmountFen / r.recipients) * recipients) }
      : r,
  );
}

/** `rows` with every amount scaled by `factor` (a city-wide raise): recipients unchanged. */
export function withAmountsScaled(rows: readonly TownMonthMetrics[], factor: number): TownMonthMetrics[] {
  return rows.map((r) => ({ ...r, totalAmountFen: Math.round(r.totalAmountFen * factor) }));
}
