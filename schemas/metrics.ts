import { z } from 'zod';
import type { CategoryCode } from './categories.ts';
import { MonthSchema } from './month.ts';
import { OverdueSummarySchema } from './overdue-cases.ts';

/**
 * Columns of `metrics/{month}.csv` (contract 2.3), as the pipeline writes them: one row per town for
 * all categories together (empty `category`), and one per category the town paid that month.
 */
export const METRICS_CSV_COLUMNS = [
  'month',
  'town',
  'recipients',
  'total_amount',
  'population',
  'category',
] as const;
export type MetricsCsvColumn = (typeof METRICS_CSV_COLUMNS)[number];
/** The columns every metrics file must have: a file written before categories lacks `category`. */
export const METRICS_REQUIRED_COLUMNS = [
  'month',
  'town',
  'recipients',
  'total_amount',
  'population',
] as const satisfies readonly MetricsCsvColumn[];

/**
 * One town's indicators for one month (a row of `metrics/{month}.csv`): for all categories together,
 * or for one category.
 *
 * @example { month: '2026-10', town: 'shiqi', recipients: 1520, totalAmountFen: 112_480_000, population: 71000 }
 * @example { month: '2026-10', town: 'shiqi', category: 'DIBAO', recipients: 610, totalAmountFen: 41_480_000, population: 71000 }
 */
export interface TownMonthMetrics {
  /** `YYYY-MM`. */
  month: string;
  /** Town code, as written in `reference/towns.csv`. */
  town: string;
  /** The category of the row (contract 2.2); absent for all categories together. */
  category?: CategoryCode | undefined;
  /** Distinct ID numbers paid in the town that month (in the category, on a category row). */
  recipients: number;
  /** Sum of the town's payments that month, integer fen (written as yuan with 2 decimals). */
  totalAmountFen: number;
  /** Resident population of the town (from `reference/towns.csv`). */
  population: number;
}

/**
 * The indicators the anomaly job watches, per town and category, in the order of `anomalies.csv`:
 * - `recipients_share`: recipients / population, a fraction (0.0213 is 2.13 %);
 * - `recipients_growth`: recipients / last month's recipients − 1 (0.05 is +5 %);
 * - `average_amount`: total / recipients, yuan (for DIBAO the top-up level, 补差水平);
 * - `total_amount`: the total, yuan.
 */
export const ANOMALY_METRICS = [
  'recipients_share',
  'recipients_growth',
  'average_amount',
  'total_amount',
] as const;
export type AnomalyMetric = (typeof ANOMALY_METRICS)[number];

/** Decimals of each metric's value, baseline and band in `anomalies.csv` and `anomalies.json`. */
export const METRIC_DECIMALS: Readonly<Record<AnomalyMetric, number>> = Object.freeze({
  recipients_share: 6,
  recipients_growth: 4,
  average_amount: 2,
  total_amount: 2,
});

/**
 * Columns of `anomalies.csv`: the contract's eight (section 4) first, then three that explain each row
 * (the band the value was judged against and why it is flagged or not).
 */
export const ANOMALIES_CSV_COLUMNS = [
  'month',
  'town',
  'metric',
  'value',
  'baseline',
  'score',
  'flagged',
  'category',
  'expected_low',
  'expected_high',
  'explanation',
] as const;

/**
 * One town, category and metric of `anomalies.csv`. Shares are fractions, growth a fraction
 * (0.05 = +5 %), amounts yuan: these are indicators, not money moved, so plain numbers.
 *
 * @example
 * { month: '2026-10', town: 'shiqi', category: null, metric: 'recipients_growth', value: 0.25,
 *   baseline: 0.002, expectedLow: -0.088, expectedHigh: 0.092, score: 9.6, flagged: true,
 *   explanation: '受助人数环比 +25.0%，… / recipients +25.0% month on month …' }
 */
export interface AnomalyRow {
  month: string;
  /** Town code. */
  town: string;
  /** The category judged (contract 2.2); `null` for all categories together. */
  category: CategoryCode | null;
  metric: AnomalyMetric;
  /** The month's value; 0 where it cannot be computed (the explanation says why). */
  value: number;
  /**
   * What the town's own history expects: its usual growth, or for a level the last month's value
   * moved by the town's usual change. `null` without enough history values.
   */
  baseline: number | null;
  /** Lower end of the band of usual values (baseline − threshold × spread); `null` without a baseline. */
  expectedLow: number | null;
  /** Upper end of the band of usual values (baseline + threshold × spread); `null` without a baseline. */
  expectedHigh: number | null;
  /** Signed robust z of the value against the town's own history, 2 decimals; `null` when not computable. */
  score: number | null;
  flagged: boolean;
  /** One short sentence, Chinese then English: the value, its baseline and band, and why flagged or not. */
  explanation: string;
}

/** Input of the month watch's steps after ComputeMetrics: DetectAnomalies, WriteMonthPage, NotifyBureau. */
export const MonthMetricsInputSchema = z.object({ month: MonthSchema, bucket: z.string().min(1) });
export type MonthMetricsInput = z.infer<typeof MonthMetricsInputSchema>;

/**
 * Input of NotifyBureau: the month, and what WriteMonthPage returned (its Lambda result,
 * `$.page.Payload`), whose overdue cases the notice counts (absent: the notice lists them from the
 * case table).
 */
export const NotifyBureauInputSchema = MonthMetricsInputSchema.extend({
  page: z.object({ overdue: OverdueSummarySchema.optional() }).optional(),
});

/** Output of ComputeMetrics. */
export const ComputeMonthMetricsResultSchema = z.object({
  month: MonthSchema,
  bucket: z.string().min(1),
  metricsKey: z.string(),
  /** Towns with an all-categories row: the towns of `reference/towns.csv`. */
  towns: z.number().int().nonnegative(),
  /** Sum of the towns' recipients (all-categories rows). */
  recipients: z.number().int().nonnegative(),
  /** False when the month has no checked payments and its seeded indicators were kept. */
  checked: z.boolean(),
  /** The sample seed the watch was started with, `''` for none: DrawSample takes it. */
  sampleSeed: z.string(),
});
export type ComputeMonthMetricsResult = z.infer<typeof ComputeMonthMetricsResultSchema>;

/** Output of DetectAnomalies. */
export const DetectMonthAnomaliesResultSchema = z.object({
  month: MonthSchema,
  anomaliesKey: z.string(),
  anomaliesJsonKey: z.string(),
  /** Flagged rows (town, category and metric). */
  flagged: z.number().int().nonnegative(),
  /** Distinct months of history before the month within the trailing window. */
  historyMonths: z.number().int().nonnegative(),
  note: z.string().optional(),
});
export type DetectMonthAnomaliesResult = z.infer<typeof DetectMonthAnomaliesResultSchema>;

/** The bureau's time zone: the month watch's schedule is read in it, and its default month taken in it. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/**
 * Input of the month-watch workflow (and so of ComputeMetrics): the EventBridge Scheduler rule gives
 * only the bucket and the time zone (the month is then the one before the run, on the bureau's
 * calendar); a person may name the month and a sample seed.
 */
export const MonthWatchInputSchema = z.object({
  month: MonthSchema.optional(),
  bucket: z.string().min(1),
  seed: z.string().min(1).max(200).optional(),
  timeZone: z.string().default(DEFAULT_TIME_ZONE),
});
export type MonthWatchInput = z.input<typeof MonthWatchInputSchema>;
