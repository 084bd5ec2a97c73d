import { describe, expect, it } from 'vitest';
import { DEFAULT_ANOMALY_OPTIONS, detectAnomalies } from '#domain/anomaly/detect-anomalies.ts';
import type { CategoryCode } from '#schemas/categories.ts';
import { ANOMALY_METRICS, type AnomalyRow, type TownMonthMetrics } from '#schemas/metrics.ts';
import {
  CITY_CATEGORIES,
  calmMonth,
  categoryCity,
  forEachSeed,
  HISTORY_MONTHS,
  MID_TOWN,
  MONTH,
  SMALL_TOWN,
  seeded,
  TOWNS,
  type TownProfile,
  withShift,
  withTotals,
  withTownJump,
} from './calm-towns.ts';

const flaggedUnits = (rows: readonly AnomalyRow[]) =>
  new Set(rows.filter((r) => r.flagged).map((r) => `${r.town}|${r.category ?? ''}`));
const rowOf = (
  rows: readonly AnomalyRow[],
  town: string,
  category: CategoryCode | null,
  metric: AnomalyRow['metric'],
) => rows.find((r) => r.town === town && r.category === category && r.metric === metric) as AnomalyRow;
const recipientsOf = (rows: readonly TownMonthMetrics[], town: string, category?: CategoryCode) =>
  (rows.find((r) => r.town === town && r.category === category) as TownMonthMetrics).recipients;

describe('detectAnomalies per category', () => {
  it('gives each town its all-categories rows, then those of each category it pays, in table 2.2 order', () => {
    // Prepare
    const { history, current } = categoryCity(1);

    // Act
    const { rows } = detectAnomalies(current, history);

    // Assess
    const order = [null, 'DIBAO', 'TEKUN', 'DIBAO_EDGE', 'ELDERLY', 'CHILD'];
    expect(rows).toHaveLength(TOWNS.length * order.length * ANOMALY_METRICS.length);
    expect(rows.slice(0, order.length * 4).map((r) => [r.town, r.category, r.metric])).toEqual(
      order.flatMap((c) => ANOMALY_METRICS.map((m) => [TOWNS[0]?.code, c, m])),
    );
  });

  it('flags nobody in a calm month of a city with per-category history', () => {
    // Prepare
    const { history, current } = categoryCity(5);

    // Act
    const { rows } = detectAnomalies(current, history);

    // Assess
    expect(flaggedUnits(rows)).toEqual(new Set());
  });

  it('flags at most one town or category in each of 40 seeded calm months', () => {
    forEachSeed(40, (seed) => {
      // Prepare
      const { history, current } = categoryCity(seed);

      // Act
      const { rows } = detectAnomalies(current, history);

      // Assess
      expect(flaggedUnits(rows).size).toBeLessThanOrEqual(1);
    });
  });

  it('flags a category shift on the two categories, says people moved, and not on the town total', () => {
    forEachSeed(30, (seed) => {
      // Prepare: 15 % of the mid-sized town's DIBAO recipients move to DIBAO_EDGE
      const { history, current } = categoryCity(seed);
      const moved = Math.round(recipientsOf(current, MID_TOWN.code, 'DIBAO') * 0.15);

      // Act
      const { rows } = detectAnomalies(
        withShift(current, MID_TOWN.code, 'DIBAO', 'DIBAO_EDGE', moved),
        history,
      );

      // Assess
      const flagged = [...flaggedUnits(rows)].filter((u) => u.startsWith(`${MID_TOWN.code}|`));
      expect(flagged.sort()).toEqual([`${MID_TOWN.code}|DIBAO`, `${MID_TOWN.code}|DIBAO_EDGE`]);
      const out = rowOf(rows, MID_TOWN.code, 'DIBAO', 'recipients_growth');
      expect(out.flagged).toBe(true);
      expect(out.explanation).toContain(`in the same town DIBAO_EDGE +`);
      expect(out.explanation).toContain('people appear to have moved between categories');
      expect(out.explanation).toContain('疑为人员在类别间转移');
      expect(rowOf(rows, MID_TOWN.code, 'DIBAO_EDGE', 'recipients_growth').explanation).toMatch(
        /in the same town DIBAO \u2212\d+ while all categories together [+\u2212]\d\.\d%/,
      );
      expect(rows.filter((r) => r.town === MID_TOWN.code && r.category === null && r.flagged)).toEqual([]);
    });
  });

  it('does not flag the town total when a shift to a lower-paid category lowers its money, and says why', () => {
    // Prepare: 60 % of the TEKUN recipients (1650 yuan) of the largest town move to DIBAO (700 yuan)
    const { history, current } = categoryCity(3);
    const big = TOWNS.at(-1) as TownProfile;
    const moved = Math.round(recipientsOf(current, big.code, 'TEKUN') * 0.6);

    // Act
    const { rows } = detectAnomalies(withShift(current, big.code, 'TEKUN', 'DIBAO', moved), history);

    // Assess
    const flagged = [...flaggedUnits(rows)].filter((u) => u.startsWith(`${big.code}|`));
    expect(flagged.sort()).toEqual([`${big.code}|DIBAO`, `${big.code}|TEKUN`]);
    const total = rowOf(rows, big.code, null, 'total_amount');
    expect(total.score as number).toBeLessThan(-DEFAULT_ANOMALY_OPTIONS.threshold);
    expect(total.flagged).toBe(false);
    expect(total.explanation).toMatch(
      /people moved between categories \((TEKUN \u2212\d+, DIBAO \+\d+|DIBAO \+\d+, TEKUN \u2212\d+)\), flagged on those categories, not on the total$/,
    );
  });

  it('flags a whole-town jump on the town and on each category that moved by 10 people or more', () => {
    // Prepare
    const { history, current } = categoryCity(9);

    // Act
    const { rows } = detectAnomalies(withTownJump(current, MID_TOWN.code, 1.2), history);

    // Assess
    const flagged = flaggedUnits(rows);
    expect(flagged.has(`${MID_TOWN.code}|`)).toBe(true);
    for (const category of CITY_CATEGORIES) {
      const before = recipientsOf(current, MID_TOWN.code, category.code);
      if (Math.round(before * 1.2) - before >= 12)
        expect(flagged).toContain(`${MID_TOWN.code}|${category.code}`);
    }
    expect([...flagged].every((u) => u.startsWith(`${MID_TOWN.code}|`))).toBe(true);
  });

  it('flags nobody on a city-wide raise of every DIBAO top-up by 80 yuan, and says it is city-wide', () => {
    // Prepare
    const { history, current } = categoryCity(4);
    const raised = withTotals(
      current.map((r) =>
        r.category === 'DIBAO' ? { ...r, totalAmountFen: r.totalAmountFen + r.recipients * 8000 } : r,
      ),
    );

    // Act
    const { rows } = detectAnomalies(raised, history);

    // Assess
    expect(flaggedUnits(rows)).toEqual(new Set());
    const top = rowOf(rows, MID_TOWN.code, 'DIBAO', 'average_amount');
    expect(top.score as number).toBeGreaterThan(DEFAULT_ANOMALY_OPTIONS.threshold);
    expect(top.explanation).toMatch(/^低保（DIBAO）补差水平（人均发放）\d+\.\d\d 元/);
    expect(top.explanation).toContain('DIBAO top-up level');
    expect(top.explanation).toContain('a city-wide change');
  });

  it('keeps a few-person wobble of a tiny category calm', () => {
    // Prepare: the smallest town's CHILD category (2 people) goes to 6 (+200 %)
    const { history, current } = categoryCity(2);
    const wobbled = withTotals(
      current.map((r) =>
        r.town === SMALL_TOWN.code && r.category === 'CHILD'
          ? { ...r, recipients: 6, totalAmountFen: 6 * 195_000 }
          : r,
      ),
    );

    // Act
    const { rows } = detectAnomalies(wobbled, history);

    // Assess
    const growth = rowOf(rows, SMALL_TOWN.code, 'CHILD', 'recipients_growth');
    expect(growth.flagged).toBe(false);
    expect(growth.explanation).toContain(
      'a change worth fewer than 10 recipients (or usual payments) is noise',
    );
    expect(flaggedUnits(rows)).toEqual(new Set());
    const total = rowOf(rows, SMALL_TOWN.code, null, 'total_amount');
    expect(total.score as number).toBeGreaterThan(DEFAULT_ANOMALY_OPTIONS.threshold);
    expect(total.explanation).toMatch(/the change comes from a few people in its categories \(CHILD \+4/);
  });

  it('flags a town that paid nobody, on the town and on each category it paid', () => {
    // Prepare
    const { history, current } = categoryCity(6);
    const nobody = current.flatMap((r) =>
      r.town !== MID_TOWN.code
        ? [r]
        : r.category === undefined
          ? [{ ...r, recipients: 0, totalAmountFen: 0 }]
          : [],
    );

    // Act
    const { rows } = detectAnomalies(nobody, history);

    // Assess
    const growth = rowOf(rows, MID_TOWN.code, 'DIBAO', 'recipients_growth');
    expect(growth).toMatchObject({ value: -1, flagged: true });
    expect(rowOf(rows, MID_TOWN.code, null, 'recipients_growth').flagged).toBe(true);
    expect(rowOf(rows, MID_TOWN.code, 'DIBAO', 'average_amount').explanation).toContain(
      'no recipients this month, so no average',
    );
  });

  it('reads history without categories as history of the town totals only, and says a category has none', () => {
    // Prepare
    const { history, current } = categoryCity(8);
    const old = history.filter((r) => r.category === undefined);

    // Act
    const { rows } = detectAnomalies(withTownJump(current, MID_TOWN.code, 1.25), old);

    // Assess
    expect(rowOf(rows, MID_TOWN.code, null, 'recipients_growth').flagged).toBe(true);
    const dibao = rows.filter((r) => r.category === 'DIBAO');
    expect(dibao.length).toBeGreaterThan(0);
    expect(dibao.every((r) => !r.flagged && r.baseline === null)).toBe(true);
    expect(rowOf(rows, MID_TOWN.code, 'DIBAO', 'recipients_growth').explanation).toContain(
      'DIBAO: no figures for 2026-09, so no growth',
    );
  });
});

describe('detectAnomalies on small towns', () => {
  /** Twenty towns; the four smallest pay 55, 70, 85 and 95 people. */
  const CITY: readonly TownProfile[] = TOWNS.map((t, i) =>
    i < 4 ? { ...t, recipients: [55, 70, 85, 95][i] as number, population: (t.recipients / 0.02) | 0 } : t,
  );
  const SMALL = CITY[1] as TownProfile;

  /** Six steady months, then a month where the others rise a few percent (3 %, each with its turnover) and `SMALL` +40 %. */
  function month(seed: number): { history: TownMonthMetrics[]; current: TownMonthMetrics[] } {
    const random = seeded(seed);
    const history: TownMonthMetrics[] = [];
    let previous: TownMonthMetrics[] | undefined;
    for (const m of HISTORY_MONTHS) {
      previous = calmMonth(m, random, previous, CITY);
      history.push(...previous);
    }
    const current = calmMonth(MONTH, random, previous, CITY).map((r) => {
      const last = (previous as TownMonthMetrics[]).find((p) => p.town === r.town) as TownMonthMetrics;
      const factor = r.town === SMALL.code ? 1.4 : 1.03;
      const base = r.town === SMALL.code ? last : r;
      const recipients = Math.round(base.recipients * factor);
      return { ...r, recipients, totalAmountFen: Math.round(base.totalAmountFen * factor) };
    });
    return { history, current };
  }

  it('flags a town of under a hundred people that pays 40 % more people and money while the others move a few percent', () => {
    forEachSeed(50, (seed) => {
      // Prepare
      const { history, current } = month(seed);

      // Act
      const { rows } = detectAnomalies(current, history);

      // Assess
      const growth = rowOf(rows, SMALL.code, null, 'recipients_growth');
      expect(growth.flagged).toBe(true);
      expect((growth.expectedHigh as number) - (growth.baseline as number)).toBeLessThan(0.3);
      expect(rowOf(rows, SMALL.code, null, 'total_amount').flagged).toBe(true);
      expect(flaggedUnits(rows).size).toBeLessThanOrEqual(2);
    });
  });

  it("bases a steady small town's band on the turnover of towns of its size, not on a Poisson floor", () => {
    // Prepare
    const { history, current } = month(11);

    // Act
    const { rows } = detectAnomalies(current, history);

    // Assess: a town of 70 people moving by a few people a month, not by √70 ≈ 8 (±57 % at 3.5)
    const growth = rowOf(rows, SMALL.code, null, 'recipients_growth');
    expect((growth.expectedHigh as number) - (growth.expectedLow as number)).toBeLessThan(0.4);
  });
});
