import { TownMetricsTally } from '#domain/anomaly/town-metrics.ts';
import { townMetricsOfTotals } from '#domain/anomaly/town-metrics-of-totals.ts';
import type { TownDirectory } from '#domain/town-directory.ts';
import { metricsCsv, parseMetricsCsv } from '#formats/metrics-csv.ts';
import { monthMetrics, releaseCandidate, releaseFile } from '#schemas/bucket-layout.ts';
import { resolveCategory } from '#schemas/categories.ts';
import {
  type ComputeMonthMetricsResult,
  DEFAULT_TIME_ZONE,
  type MonthWatchInput,
  type TownMonthMetrics,
} from '#schemas/metrics.ts';
import { isMonth, monthBeforeIn } from '#schemas/month.ts';
import { InvalidTaskInputError } from './errors.ts';
import { loadTowns } from './load-towns.ts';
import type { ObjectStore } from './ports.ts';
import { openMonthPayments } from './read-release-file.ts';
import { releasedTotals } from './release-totals.ts';

/**
 * The month has neither `reports/{month}/release.csv` nor `reports/{month}/release-candidate.csv`
 * (nor seeded indicators): its rosters were not checked yet, so there are no payments to count. The
 * class name is the Step Functions error name.
 */
export class MonthNotCheckedError extends Error {
  override readonly name = 'MonthNotCheckedError';
}

/** Where the month's indicators are read from and written to. */
const monthMetricsKeys = (month: string) => ({
  release: releaseFile.key({ month }),
  candidate: releaseCandidate.key({ month }),
  metrics: monthMetrics.key({ month }),
});

/**
 * The month watch's first step. The month judged is `input.month`, else the month before the one
 * `deps.now()` falls in on the calendar of `input.timeZone` (default the bureau's,
 * {@link DEFAULT_TIME_ZONE}): a scheduled run early in a month looks back at the month just ended.
 *
 * Computes that month's per-town indicators and writes `metrics/{month}.csv` (contract 1 and 2.3),
 * replacing the month's earlier file: recipients (distinct ID numbers) and the total paid per town
 * of `reference/towns.csv`, in its order, with its population — for all categories together, then
 * for each category the town paid (see `townMetrics`).
 *
 * The payments are the approved release (`reports/{month}/release.csv`) when there is one, else the
 * month's latest release candidate (`reports/{month}/release-candidate.csv`, the rows the checks let
 * through before approval). A payment's town is resolved like a roster's (code in any letter case,
 * or Chinese name); a town not in `towns.csv` is left out.
 * For a released month, the totals the release wrote with it (`release-totals.json`, the same
 * SHA-256 as its manifest) give the same rows without reading the payments again; they are added
 * up from the payments when those totals cannot (see `townMetricsOfTotals`).
 *
 * A month with neither file but with a seeded `metrics/{month}.csv` (contract 1: history may be
 * seeded) keeps that file as it is: `checked` is then false (no rosters, so no households to sample).
 * @returns `recipients`: the sum of the towns' recipients; `checked`: whether the indicators come
 *   from the month's checked payments; `sampleSeed`: `input.seed`, `''` without one, passed on to
 *   DrawSample.
 * @throws InvalidTaskInputError when `input.month` is not `YYYY-MM`.
 * @throws MonthNotCheckedError when the month has neither file nor seeded indicators.
 * @throws ReferenceDataError when seeded indicators lack a column or cannot be read.
 * @throws ReferenceDataError when `reference/towns.csv` is missing or unusable.
 * @throws Error when the release file is broken (unreadable, a column missing, a bad line): it is the
 *   pipeline's own output, so this is a fault, not data to judge.
 */
export async function computeMonthMetrics(
  input: MonthWatchInput,
  deps: { store: ObjectStore; now: () => string },
): Promise<ComputeMonthMetricsResult> {
  const month = input.month ?? monthBeforeIn(new Date(deps.now()), input.timeZone ?? DEFAULT_TIME_ZONE);
  if (!isMonth(month)) throw new InvalidTaskInputError(`month must be YYYY-MM, got ${JSON.stringify(month)}`);
  const keys = monthMetricsKeys(month);
  const judged = { month, bucket: input.bucket, metricsKey: keys.metrics, sampleSeed: input.seed ?? '' };
  // towns.csv read once, and only for a month with payments (seeded indicators do without it).
  let towns: Promise<TownDirectory> | undefined;
  const townsOnce = () => {
    towns ??= loadTowns(deps.store);
    return towns;
  };
  const rows =
    (await metricsOfReleasedTotals(deps.store, month, townsOnce)) ??
    (await addUpPayments(deps.store, month, townsOnce));
  if (rows === undefined) return seededMetrics(deps.store, judged, keys);
  await deps.store.put(keys.metrics, metricsCsv(rows), 'text/csv; charset=utf-8');
  return { ...judged, ...totals(rows), checked: true };
}

/** The indicators from the totals the release wrote (`releasedTotals`), when they give them. */
async function metricsOfReleasedTotals(
  store: ObjectStore,
  month: string,
  loadTowns: () => Promise<TownDirectory>,
) {
  const totals = await releasedTotals(store, month);
  if (totals === undefined) return undefined;
  const towns = await loadTowns();
  return townMetricsOfTotals(month, totals, towns.towns, (value) => towns.resolve(value));
}

/**
 * The indicators added up from the month's payments (`release.csv`, else the latest candidate) as
 * they stream by: a province's month is never held whole. `undefined` when the month has neither.
 */
async function addUpPayments(
  store: ObjectStore,
  month: string,
  loadTowns: () => Promise<TownDirectory>,
): Promise<TownMonthMetrics[] | undefined> {
  const release = await openMonthPayments(store, month);
  if (release === undefined) return undefined;
  const towns = await loadTowns();
  const tally = new TownMetricsTally(towns.towns);
  for await (const payments of release.payments) {
    for (const p of payments) {
      tally.add({
        town: towns.resolve(p.town) ?? p.town,
        idNumber: p.idNumber,
        category: resolveCategory(p.category),
        amountFen: p.amountFen,
      });
    }
  }
  return tally.rows(month);
}

/** Towns of a month's indicators (all-categories rows) and the sum of their recipients. */
const totals = (rows: readonly TownMonthMetrics[]) => {
  const towns = rows.filter((r) => r.category === undefined);
  return { towns: towns.length, recipients: towns.reduce((n, r) => n + r.recipients, 0) };
};

/** The month's seeded indicators, left as they are. */
async function seededMetrics(
  store: ObjectStore,
  judged: Omit<ComputeMonthMetricsResult, 'towns' | 'recipients' | 'checked'>,
  keys: ReturnType<typeof monthMetricsKeys>,
): Promise<ComputeMonthMetricsResult> {
  const bytes = await store.readBytes(keys.metrics);
  if (bytes === undefined) {
    throw new MonthNotCheckedError(
      `${keys.release} and ${keys.candidate} are both missing, and no ${keys.metrics} was seeded: check the month before computing its indicators`,
    );
  }
  const { rows } = await parseMetricsCsv(bytes, keys.metrics);
  return { ...judged, ...totals(rows), checked: false };
}
