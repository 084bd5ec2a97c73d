import { createHash } from 'node:crypto';
import {
  type AnomalyOptions,
  DEFAULT_ANOMALY_OPTIONS,
  detectAnomalies,
} from '#domain/anomaly/detect-anomalies.ts';
import { trailingHistory, trailingWindow } from '#domain/anomaly/town-history.ts';
import { anomaliesCsv, type MetricsRowProblem, parseMetricsCsv } from '#formats/metrics-csv.ts';
import { anomaliesCsv as anomaliesCsvFile, anomaliesJson, monthMetrics } from '#schemas/bucket-layout.ts';
import type { AnomalyRow, DetectMonthAnomaliesResult, TownMonthMetrics } from '#schemas/metrics.ts';
import { isMonth } from '#schemas/month.ts';
import { InvalidTaskInputError } from './errors.ts';
import type { AuditTrail, ObjectStore } from './ports.ts';

/**
 * The month has no `metrics/{month}.csv`: its indicators were not computed (ComputeMonthMetrics runs
 * first). The class name is the Step Functions error name.
 */
export class MetricsNotFoundError extends Error {
  override readonly name = 'MetricsNotFoundError';
}

/** Where the anomaly job reads and writes. */
const anomaliesKeys = (month: string) => ({
  metrics: monthMetrics.key({ month }),
  csv: anomaliesCsvFile.key({ month }),
  json: anomaliesJson.key({ month }),
});

/** Content of the month's `anomalies.json`. */
export interface AnomaliesReport {
  readonly month: string;
  readonly generatedAt: string;
  readonly historyMonths: number;
  /** Absent when the whole month could be judged (see `AnomalyDetection.note`). */
  readonly note?: string;
  readonly threshold: number;
  readonly minHistoryMonths: number;
  readonly trailingMonths: number;
  /** The rows of `anomalies.csv`. */
  readonly rows: readonly AnomalyRow[];
  /** The towns' indicators of the trailing months the baselines come from, oldest first (for charts). */
  readonly history: readonly TownMonthMetrics[];
  /** The month's own indicators, as judged. */
  readonly current: readonly TownMonthMetrics[];
  /** Rows of the metrics files that were skipped, by file. */
  readonly skippedRows: readonly (MetricsRowProblem & { file: string })[];
}

/**
 * Judges the month's indicators (`metrics/{month}.csv`) against the towns' own history (every
 * `metrics/YYYY-MM.csv` of the trailing months; other names under `metrics/` are ignored) and against
 * each other (see `detectAnomalies`), writes `reports/{month}/anomalies.csv` (one row per town and
 * metric) and `anomalies.json` (the rows, the options, and the history used, for charts), and records
 * `ANOMALIES_DETECTED` in the audit trail with the SHA-256 of the CSV.
 * @returns `flagged`: the flagged rows (town and metric pairs).
 * @throws InvalidTaskInputError when `input.month` is not `YYYY-MM`.
 * @throws MetricsNotFoundError when `metrics/{month}.csv` is missing.
 * @throws ReferenceDataError when a metrics file lacks a column or cannot be read.
 */
export async function detectMonthAnomalies(
  input: { month: string; bucket: string },
  deps: { store: ObjectStore; audit: AuditTrail; now: () => string; options?: Partial<AnomalyOptions> },
): Promise<DetectMonthAnomaliesResult> {
  const { month } = input;
  if (!isMonth(month)) throw new InvalidTaskInputError(`month must be YYYY-MM, got ${JSON.stringify(month)}`);
  const options: AnomalyOptions = { ...DEFAULT_ANOMALY_OPTIONS, ...definedOptions(deps.options) };
  const keys = anomaliesKeys(month);
  const skippedRows: (MetricsRowProblem & { file: string })[] = [];
  const read = async (key: string, bytes: Uint8Array) => {
    const parsed = await parseMetricsCsv(bytes, key);
    skippedRows.push(...parsed.problems.map((p) => ({ file: key, ...p })));
    return parsed.rows;
  };

  const currentBytes = await deps.store.readBytes(keys.metrics);
  if (currentBytes === undefined) {
    throw new MetricsNotFoundError(`${keys.metrics} is missing: compute the month's indicators first`);
  }
  const current = await read(keys.metrics, currentBytes);
  // The trailing window, and the month before it: the window's first growth needs it.
  const wanted = new Set(trailingWindow(month, options.trailingMonths + 1));
  const historyKeys = (await deps.store.list(monthMetrics.folder()))
    .filter((o) => wanted.has(monthMetrics.parse(o.key)?.month ?? ''))
    .map((o) => o.key)
    .sort();
  const history: TownMonthMetrics[] = [];
  for (const key of historyKeys) {
    const bytes = await deps.store.readBytes(key);
    if (bytes !== undefined) history.push(...(await read(key, bytes)));
  }

  const detection = detectAnomalies(current, history, options);
  const csv = anomaliesCsv(detection.rows);
  const report: AnomaliesReport = {
    month,
    generatedAt: deps.now(),
    historyMonths: detection.historyMonths,
    ...(detection.note === undefined ? {} : { note: detection.note }),
    threshold: options.threshold,
    minHistoryMonths: options.minHistoryMonths,
    trailingMonths: options.trailingMonths,
    rows: detection.rows,
    history: trailingHistory(month, history, options.trailingMonths),
    current,
    skippedRows,
  };
  await deps.store.put(keys.csv, csv, 'text/csv; charset=utf-8');
  await deps.store.put(keys.json, `${JSON.stringify(report, null, 2)}\n`, 'application/json');
  const flaggedRows = detection.rows.filter((r) => r.flagged);
  const flaggedTowns = [...new Set(flaggedRows.map((r) => r.town))];
  await deps.audit.append({
    month,
    action: 'ANOMALIES_DETECTED',
    actor: 'payguard:anomaly-job',
    at: report.generatedAt,
    contentSha256: createHash('sha256').update(csv).digest('hex'),
    subject: keys.csv,
    details: { flagged: flaggedRows.length, historyMonths: detection.historyMonths, flaggedTowns },
  });
  return {
    month,
    anomaliesKey: keys.csv,
    anomaliesJsonKey: keys.json,
    flagged: flaggedRows.length,
    historyMonths: detection.historyMonths,
    ...(detection.note === undefined ? {} : { note: detection.note }),
  };
}

function definedOptions(options: Partial<AnomalyOptions> | undefined): Partial<AnomalyOptions> {
  return Object.fromEntries(Object.entries(options ?? {}).filter(([, v]) => v !== undefined));
}
