import { describe, expect, it } from 'vitest';
import { signedPercent } from '#domain/anomaly/anomaly-explanation.ts';
import { DEFAULT_ANOMALY_OPTIONS, detectAnomalies } from '#domain/anomaly/detect-anomalies.ts';
import { ANOMALY_METRICS, type AnomalyRow, type TownMonthMetrics } from '#schemas/metrics.ts';
import {
  calmMonth,
  calmTowns,
  forEachSeed,
  HISTORY_MONTHS,
  MID_TOWN,
  MONTH,
  SMALL_TOWN,
  seeded,
  TOWNS,
  withAmountsScaled,
  withRecipients,
} from './calm-towns.ts';

const flaggedOf = (rows: readonly AnomalyRow[]) => rows.filter((r) => r.flagged);
const flaggedTowns = (rows: readonly AnomalyRow[]) => new Set(flaggedOf(rows).map((r) => r.town));
const rowOf = (rows: readonly AnomalyRow[], town: string, metric: AnomalyRow['metric']) =>
  rows.find((r) => r.town === town && r.metric === metric) as AnomalyRow;
/** The month with the mid-sized town's recipients multiplied by `factor`. */
function jumped(current: readonly TownMonthMetrics[], factor: number): TownMonthMetrics[] {
  const mid = current.find((r) => r.town === MID_TOWN.code) as TownMonthMetrics;
  return withRecipients(current, MID_TOWN.code, Math.round(mid.recipients * factor));
}

describe('detectAnomalies', () => {
  it('gives one row per town and metric, towns in the order given, metrics in ANOMALY_METRICS order', () => {
    // Prepare
    const { history, current } = calmTowns(1);

    // Act
    const { rows, historyMonths, note } = detectAnomalies(current, history);

    // Assess
    expect(rows).toHaveLength(TOWNS.length * ANOMALY_METRICS.length);
    expect(rows.slice(0, 4).map((r) => [r.town, r.metric])).toEqual(
      ANOMALY_METRICS.map((m) => [TOWNS[0]?.code, m]),
    );
    expect(rows.map((r) => r.town)).toEqual(TOWNS.flatMap((t) => ANOMALY_METRICS.map(() => t.code)));
    expect(rows.every((r) => r.month === MONTH)).toBe(true);
    expect(historyMonths).toBe(6);
    expect(note).toBeUndefined();
  });

  it('computes the values: share a fraction, growth on last month, average and total in yuan', () => {
    // Prepare
    const history = HISTORY_MONTHS.map((month) => town(month, 1000, 80_000_000, 50_000));
    const current = [town(MONTH, 1050, 86_100_000, 50_000)];

    // Act
    const { rows } = detectAnomalies(current, history);

    // Assess
    expect(rows.map((r) => [r.metric, r.value, r.baseline])).toEqual([
      ['recipients_share', 0.021, 0.02],
      ['recipients_growth', 0.05, 0],
      ['average_amount', 820, 800],
      ['total_amount', 861_000, 800_000],
    ]);
  });

  it('flags exactly the town whose recipients jump 25 %, on growth (and share and total)', () => {
    // Prepare
    const { history, current } = calmTowns(7);

    // Act
    const { rows } = detectAnomalies(jumped(current, 1.25), history);

    // Assess
    const growth = rowOf(rows, MID_TOWN.code, 'recipients_growth');
    expect(growth.flagged).toBe(true);
    expect(growth.score).toBeGreaterThan(DEFAULT_ANOMALY_OPTIONS.threshold);
    expect(growth.value).toBeGreaterThan(growth.expectedHigh as number);
    expect(flaggedTowns(rows)).toEqual(new Set([MID_TOWN.code]));
    expect(rowOf(rows, MID_TOWN.code, 'average_amount').flagged).toBe(false);
  });

  it('explains a flagged growth row in Chinese then English: value, median, band, other towns, verdict', () => {
    // Prepare
    const { history, current } = calmTowns(7);

    // Act
    const { rows } = detectAnomalies(jumped(current, 1.25), history);

    // Assess
    const growth = rowOf(rows, MID_TOWN.code, 'recipients_growth');
    expect(growth.explanation).toMatch(
      /^受助人数环比 \+2\d\.\d%，本镇以往中位数 [+−]\d+\.\d%（区间 [+−]\d+\.\d% ~ \+\d+\.\d%），同期各镇中位数 [+−]\d+\.\d%，同时偏离本镇历史与其他各镇，列为异常 \/ recipients \+2\d\.\d% month on month vs the town's median [+−]\d+\.\d% \(band [+−]\d+\.\d% to \+\d+\.\d%\) and the other towns' [+−]\d+\.\d%: flagged, as it departs from its own history and from the other towns$/,
    );
    expect(growth.explanation).toContain(`（区间 ${signedPercent(growth.expectedLow as number)} ~ `);
  });

  it('flags the jumping town on growth in each of 100 seeded cities (and in the one the Poisson floor missed), and hardly any other town', () => {
    const check = (seed: number) => {
      // Prepare
      const { history, current } = calmTowns(seed);

      // Act
      const { rows } = detectAnomalies(jumped(current, 1.25), history);

      // Assess
      expect(rowOf(rows, MID_TOWN.code, 'recipients_growth').flagged).toBe(true);
      const others = [...flaggedTowns(rows)].filter((t) => t !== MID_TOWN.code);
      expect(others.length).toBeLessThanOrEqual(1);
    };
    forEachSeed(100, check);
    check(1635591481);
  });

  it('never flags more than 1 of 20 towns in each of 100 seeded calm months', () => {
    forEachSeed(100, (seed) => {
      // Prepare
      const { history, current } = calmTowns(seed);

      // Act
      const { rows } = detectAnomalies(current, history);

      // Assess
      expect(flaggedTowns(rows).size).toBeLessThanOrEqual(1);
    });
  });

  it('flags no amount on a city-wide 10 % raise of every amount, and says it is city-wide', () => {
    forEachSeed(30, (seed) => {
      // Prepare
      const { history, current } = calmTowns(seed);

      // Act
      const { rows } = detectAnomalies(withAmountsScaled(current, 1.1), history);

      // Assess
      const averages = rows.filter((r) => r.metric === 'average_amount');
      expect(averages.filter((r) => r.flagged)).toEqual([]);
      // A total may still be flagged for what its recipients did, as in any calm month.
      expect(flaggedTowns(rows).size).toBeLessThanOrEqual(1);
      const beyondBand = averages.filter((r) => (r.score as number) > DEFAULT_ANOMALY_OPTIONS.threshold);
      expect(beyondBand.length).toBeGreaterThan(0);
      for (const row of beyondBand) {
        expect(row.explanation).toContain('属全市性变化');
        expect(row.explanation).toContain('a city-wide change');
      }
    });
  });

  it('still flags the one town raised 25 % on top of a city-wide 10 % raise', () => {
    // Prepare
    const { history, current } = calmTowns(3);
    const raised = withAmountsScaled(current, 1.1).map((r) =>
      r.town === MID_TOWN.code ? { ...r, totalAmountFen: Math.round((r.totalAmountFen * 1.25) / 1.1) } : r,
    );

    // Act
    const { rows } = detectAnomalies(raised, history);

    // Assess
    expect(flaggedOf(rows).map((r) => [r.town, r.metric])).toEqual([
      [MID_TOWN.code, 'average_amount'],
      [MID_TOWN.code, 'total_amount'],
    ]);
  });

  it('does not flag a town that rose less than the city-wide raise, and says the others went further', () => {
    // Prepare: five steady towns; every average rises 20 %, town a's only 8 %.
    const codes = ['a', 'b', 'c', 'd', 'e'];
    const history = HISTORY_MONTHS.flatMap((m) =>
      codes.map((code) => town(m, 1000, 80_000_000, 50_000, code)),
    );
    const current = codes.map((code) =>
      town(MONTH, 1000, code === 'a' ? 86_400_000 : 96_000_000, 50_000, code),
    );

    // Act
    const { rows } = detectAnomalies(current, history);

    // Assess
    const average = rowOf(rows, 'a', 'average_amount');
    expect(average.score).toBe(16);
    expect(average.flagged).toBe(false);
    expect(average.explanation).toContain('the other towns moved the same way and further');
    expect(flaggedOf(rows)).toEqual([]);
  });

  it('does not flag a small town of 40 recipients going to 46 (+15 %, noise)', () => {
    forEachSeed(30, (seed) => {
      // Prepare
      const random = seeded(seed);
      let previous: TownMonthMetrics[] | undefined;
      const history = HISTORY_MONTHS.flatMap((m) => {
        previous = withRecipients(calmMonth(m, random, previous), SMALL_TOWN.code, SMALL_TOWN.recipients);
        return previous;
      });
      const current = withRecipients(calmMonth(MONTH, random, previous), SMALL_TOWN.code, 46);

      // Act
      const { rows } = detectAnomalies(current, history);

      // Assess
      const growth = rowOf(rows, SMALL_TOWN.code, 'recipients_growth');
      expect(growth.value).toBe(0.15);
      expect(flaggedTowns(rows).has(SMALL_TOWN.code)).toBe(false);
      expect(growth.explanation).toContain('not flagged');
    });
  });

  it('never flags a change worth fewer than 10 recipients, even in a town that never moves', () => {
    // Prepare: a steady town of 30 recipients and three steady peers; it goes to 39.
    const history = HISTORY_MONTHS.flatMap((m) => [
      town(m, 30, 2_400_000, 3000, 'tiny'),
      ...['a', 'b', 'c'].map((code) => town(m, 500, 40_000_000, 40_000, code)),
    ]);
    const current = [
      town(MONTH, 39, 3_120_000, 3000, 'tiny'),
      ...['a', 'b', 'c'].map((code) => town(MONTH, 500, 40_000_000, 40_000, code)),
    ];

    // Act
    const { rows } = detectAnomalies(current, history, { threshold: 1 });

    // Assess
    const growth = rowOf(rows, 'tiny', 'recipients_growth');
    expect(growth.score).toBeGreaterThan(1);
    expect(growth.flagged).toBe(false);
    expect(growth.explanation).toContain('fewer than 10 recipients');
    expect(flaggedTowns(rows).size).toBe(0);
  });

  it('flags nothing without history, says so in every explanation and in the note', () => {
    // Prepare
    const { current } = calmTowns(7);

    // Act
    const { rows, historyMonths, note } = detectAnomalies(jumped(current, 2), []);

    // Assess
    expect(historyMonths).toBe(0);
    expect(flaggedOf(rows)).toEqual([]);
    expect(note).toBe(
      '2026-10 之前尚无历史数据，暂不能标记异常 / no history before 2026-10: nothing can be flagged yet',
    );
    for (const row of rows) {
      expect(row.explanation).toContain('历史数据不足');
      expect(row.explanation).toContain('not enough history yet (0 of 3 months)');
      expect(row).toMatchObject({ baseline: null, expectedLow: null, expectedHigh: null, score: null });
    }
  });

  it('flags nothing with fewer months of history than minHistoryMonths, but shows the baseline', () => {
    // Prepare
    const { history, current } = calmTowns(7);
    const twoMonths = history.filter((r) => r.month >= '2026-08');

    // Act
    const { rows, historyMonths, note } = detectAnomalies(jumped(current, 2), twoMonths);

    // Assess
    expect(historyMonths).toBe(2);
    expect(flaggedOf(rows)).toEqual([]);
    expect(note).toContain('only 2 month(s) of history in the 12 months before 2026-10 (3 needed)');
    expect(rowOf(rows, MID_TOWN.code, 'recipients_growth').baseline).not.toBeNull();
    expect(rowOf(rows, MID_TOWN.code, 'recipients_growth').explanation).toContain(
      'not enough history yet (2 of 3 months)',
    );
  });

  it('counts only the trailing months as history: older months and the month itself are left out', () => {
    // Prepare
    const { history, current } = calmTowns(7);
    const old = calmMonth('2024-01', seeded(1));
    const later = calmMonth('2026-11', seeded(2));

    // Act
    const result = detectAnomalies(current, [...old, ...history, ...current, ...later], {
      trailingMonths: 4,
    });

    // Assess
    expect(result.historyMonths).toBe(4);
  });

  it('cannot judge growth without last month, and says which month is missing', () => {
    // Prepare
    const { history, current } = calmTowns(7);
    const gap = history.filter((r) => r.month !== '2026-09');

    // Act
    const { rows, note } = detectAnomalies(jumped(current, 1.25), gap);

    // Assess
    const growth = rowOf(rows, MID_TOWN.code, 'recipients_growth');
    expect(growth).toMatchObject({ value: 0, score: null, flagged: false });
    expect(growth.explanation).toBe(
      '缺少上月（2026-09）数据，无法计算环比，不标记 / no figures for 2026-09, so no growth: not flagged',
    );
    expect(note).toBe(
      '缺少 2026-09 的指标，无法计算环比 / no metrics for 2026-09: month-on-month growth cannot be judged',
    );
    expect(rowOf(rows, MID_TOWN.code, 'recipients_share').flagged).toBe(true);
  });

  it('gives a town without population a share of 0, never flagged, and says why', () => {
    // Prepare
    const { history, current } = calmTowns(7);
    const noPopulation = (rows: readonly TownMonthMetrics[]) =>
      rows.map((r) => (r.town === MID_TOWN.code ? { ...r, population: 0 } : r));

    // Act
    const { rows } = detectAnomalies(noPopulation(jumped(current, 1.25)), noPopulation(history));

    // Assess
    const share = rowOf(rows, MID_TOWN.code, 'recipients_share');
    expect(share).toMatchObject({ value: 0, baseline: null, score: null, flagged: false });
    expect(share.explanation).toContain('常住人口为 0');
    expect(share.explanation).toContain('population is 0');
  });

  it('does not flag a town new to the list: it has no history of its own', () => {
    // Prepare
    const { history, current } = calmTowns(7);
    const newcomer = town(MONTH, 900, 72_000_000, 40_000, 'new');

    // Act
    const { rows } = detectAnomalies([...current, newcomer], history);

    // Assess
    const share = rowOf(rows, 'new', 'recipients_share');
    expect(share).toMatchObject({ flagged: false, baseline: null, score: null });
    expect(share.explanation).toContain('with no earlier figures to compare with');
    expect(rowOf(rows, 'new', 'recipients_growth').explanation).toContain(
      'no figures for 2026-09, so no growth',
    );
  });

  it('judges a town on its own history alone when fewer than 3 other towns can be compared', () => {
    // Prepare
    const history = HISTORY_MONTHS.flatMap((m) => [
      town(m, 1000, 80_000_000, 50_000, 'a'),
      town(m, 800, 64_000_000, 40_000, 'b'),
    ]);
    const current = [town(MONTH, 1300, 104_000_000, 50_000, 'a'), town(MONTH, 800, 64_000_000, 40_000, 'b')];

    // Act
    const { rows } = detectAnomalies(current, history);

    // Assess
    const growth = rowOf(rows, 'a', 'recipients_growth');
    expect(growth.flagged).toBe(true);
    expect(growth.explanation).toContain('cannot be compared with other towns');
    expect(flaggedTowns(rows)).toEqual(new Set(['a']));
  });

  it('matches history to towns case-insensitively by code', () => {
    // Prepare
    const { history, current } = calmTowns(7);
    const upper = history.map((r) => ({ ...r, town: r.town.toUpperCase() }));

    // Act
    const { rows } = detectAnomalies(jumped(current, 1.25), upper);

    // Assess
    expect(flaggedTowns(rows)).toEqual(new Set([MID_TOWN.code]));
  });

  it('rounds values, baselines and bands to the CSV decimals and scores to 2 decimals', () => {
    // Prepare
    const { history, current } = calmTowns(11);
    const decimals = { recipients_share: 6, recipients_growth: 4, average_amount: 2, total_amount: 2 };

    // Act
    const { rows } = detectAnomalies(current, history);

    // Assess
    for (const row of rows) {
      const d = decimals[row.metric];
      for (const v of [row.value, row.baseline, row.expectedLow, row.expectedHigh]) {
        expect(Number((v as number).toFixed(d))).toBe(v);
      }
      expect(Number((row.score as number).toFixed(2))).toBe(row.score);
    }
  });

  it('returns no rows for no towns', () => {
    // Act
    const result = detectAnomalies([], calmTowns(1).history);

    // Assess
    expect(result).toEqual({ rows: [], historyMonths: 0, note: undefined });
  });

  it.each([
    [{ threshold: 0 }],
    [{ threshold: Number.NaN }],
    [{ minHistoryMonths: 0 }],
    [{ minHistoryMonths: 2.5 }],
    [{ trailingMonths: 2 }],
  ])('rejects the options %j', (options) => {
    // Act
    const act = () => detectAnomalies(calmTowns(1).current, [], options);

    // Assess
    expect(act).toThrow(RangeError);
  });

  it('rejects rows of two months, and a town given twice', () => {
    // Prepare
    const { current } = calmTowns(1);
    const twoMonths = [...current, { ...(current[0] as TownMonthMetrics), month: '2026-09', town: 'x' }];
    const twice = [
      ...current,
      { ...(current[0] as TownMonthMetrics), town: (current[0] as TownMonthMetrics).town.toUpperCase() },
    ];

    // Act
    const actTwoMonths = () => detectAnomalies(twoMonths, []);
    const actTwice = () => detectAnomalies(twice, []);

    // Assess
    expect(actTwoMonths).toThrow(/two months/);
    expect(actTwice).toThrow(/given twice/);
  });
});

describe('signedPercent', () => {
  it.each([
    [0.42, '+42.0%'],
    [-0.021, '\u22122.1%'],
    [0, '+0.0%'],
    [-0.00001, '+0.0%'],
  ])('writes %d as %s', (fraction, text) => {
    // Act
    const result = signedPercent(fraction);

    // Assess
    expect(result).toBe(text);
  });
});

function town(
  month: string,
  recipients: number,
  totalAmountFen: number,
  population: number,
  code = 'shiqi',
): TownMonthMetrics {
  return { month, town: code, recipients, totalAmountFen, population };
}
