import { cleanValue } from '#schemas/clean-value.ts';
import {
  ANOMALIES_CSV_COLUMNS,
  type AnomalyRow,
  METRIC_DECIMALS,
  METRICS_CSV_COLUMNS,
  type MetricsCsvColumn,
  type TownMonthMetrics,
} from '#schemas/metrics.ts';
import { formatFen, parseBankAmount } from '#schemas/money.ts';
import { isMonth } from '#schemas/month.ts';
import { quoteValue } from '#schemas/quote-value.ts';
import { ReferenceDataError } from '#schemas/reference-data-error.ts';
import { unguardFormula } from '#schemas/spreadsheet-formula.ts';
import { recordsOfBytes } from './all-records.ts';
import { csvLine } from './csv-writer.ts';
import type { RawRecord } from './raw-record.ts';
import { UnreadableFileError } from './unreadable-file-error.ts';

/**
 * `metrics/{month}.csv` (contract 2.3): header, then one CRLF line per row in the order given,
 * `total_amount` in yuan with exactly 2 decimals.
 * @example metricsCsv([{ month: '2026-10', town: 'shiqi', recipients: 2, totalAmountFen: 117000, population: 71000 }])
 * // 'month,town,recipients,total_amount,population\r\n2026-10,shiqi,2,1170.00,71000\r\n'
 */
export function metricsCsv(rows: readonly TownMonthMetrics[]): string {
  return (
    csvLine(METRICS_CSV_COLUMNS) +
    rows
      .map((r) => csvLine([r.month, r.town, r.recipients, formatFen(r.totalAmountFen), r.population]))
      .join('')
  );
}

/** A data row of a metrics file that was skipped: its row number (contract 2) and a bilingual reason. */
export interface MetricsRowProblem {
  readonly row: number;
  readonly problem: string;
}

/** What a metrics file holds: its usable rows in file order, and the rows skipped. */
export interface MetricsCsvParse {
  rows: TownMonthMetrics[];
  problems: MetricsRowProblem[];
}

/**
 * Reads `metrics/{month}.csv`: UTF-8 or GB18030 (contract 2), header names matched
 * case-insensitively after trimming, extra columns ignored, values cleaned, blank records skipped.
 * A row is skipped, with its row number and a bilingual reason, when its month is not `YYYY-MM` or
 * differs from the month of the file name, its town is empty or repeats an earlier row's
 * (case-insensitively), `recipients` or `population` is not a non-negative integer, or
 * `total_amount` is not a plain decimal with at most 2 decimals.
 * @param key the file's key, e.g. `metrics/2026-09.csv`: named in errors, and its month (when the
 *   name is `YYYY-MM.csv`) is the month every row must have.
 * @throws ReferenceDataError naming the file — and the column, when one is absent (also for a
 *   0-byte file) — or the reason it cannot be read.
 */
export async function parseMetricsCsv(bytes: Uint8Array, key: string): Promise<MetricsCsvParse> {
  const [header, ...data] = await recordsOf(bytes, key);
  const indexOf = columnIndexes(header?.fields ?? [], key);
  const fileMonth = /(\d{4}-\d{2})\.csv$/i.exec(key)?.[1];
  const rows: TownMonthMetrics[] = [];
  const problems: MetricsRowProblem[] = [];
  const seen = new Set<string>();
  for (const record of data) {
    // The pipeline wrote the file with the formula guard of contract 4: read back what it guarded.
    const value = (column: MetricsCsvColumn) => unguardFormula(cleanValue(record.fields[indexOf[column]]));
    if (METRICS_CSV_COLUMNS.every((c) => value(c) === '')) continue;
    const parsed = metricsRowOf(value, fileMonth !== undefined && isMonth(fileMonth) ? fileMonth : undefined);
    if ('problem' in parsed) {
      problems.push({ row: record.row, problem: parsed.problem });
      continue;
    }
    const town = `${parsed.month}\u0000${parsed.town.toLowerCase()}`;
    if (seen.has(town)) {
      problems.push({
        row: record.row,
        problem: `镇街 ${quoteValue(parsed.town)} 重复 / town ${quoteValue(parsed.town)} repeats an earlier row`,
      });
      continue;
    }
    seen.add(town);
    rows.push(parsed);
  }
  return { rows, problems };
}

async function recordsOf(bytes: Uint8Array, key: string): Promise<RawRecord[]> {
  try {
    return await recordsOfBytes(bytes, key);
  } catch (error) {
    if (error instanceof UnreadableFileError) {
      throw new ReferenceDataError(`${key}: ${error.reason}`, { file: key });
    }
    throw error;
  }
}

function columnIndexes(header: readonly string[], key: string): Record<MetricsCsvColumn, number> {
  const names = header.map((h) => cleanValue(h.replace(/^\uFEFF/, '')).toLowerCase());
  const missing = METRICS_CSV_COLUMNS.filter((c) => !names.includes(c));
  const [first] = missing;
  if (first !== undefined) {
    throw new ReferenceDataError(
      `${key} 缺少列 ${missing.join(', ')} / ${key} lacks column(s) ${missing.map((c) => `"${c}"`).join(', ')}`,
      { file: key, column: first },
    );
  }
  return Object.fromEntries(METRICS_CSV_COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<
    MetricsCsvColumn,
    number
  >;
}

const COUNT = /^\d{1,15}$/;

function metricsRowOf(
  value: (column: MetricsCsvColumn) => string,
  fileMonth: string | undefined,
): TownMonthMetrics | { problem: string } {
  const zh: string[] = [];
  const en: string[] = [];
  const month = value('month');
  if (!isMonth(month)) {
    zh.push(`月份 ${quoteValue(month)} 不是 YYYY-MM`);
    en.push(`month ${quoteValue(month)} is not YYYY-MM`);
  } else if (fileMonth !== undefined && month !== fileMonth) {
    zh.push(`月份 ${month} 与文件月份 ${fileMonth} 不符`);
    en.push(`month ${month} is not the file's month ${fileMonth}`);
  }
  const town = value('town');
  if (town === '') {
    zh.push('镇街为空');
    en.push('town is empty');
  }
  for (const [column, label] of [
    ['recipients', '受助人数'],
    ['population', '常住人口'],
  ] as const) {
    if (!COUNT.test(value(column))) {
      zh.push(`${label} ${quoteValue(value(column))} 不是非负整数`);
      en.push(`${column} ${quoteValue(value(column))} is not a non-negative integer`);
    }
  }
  const total = parseBankAmount(value('total_amount'));
  if (!total.ok) {
    zh.push(`发放总额 ${quoteValue(value('total_amount'))} 不是最多两位小数的金额`);
    en.push(`total_amount: ${total.reason}`);
  }
  if (zh.length > 0 || !total.ok) return { problem: `${zh.join('；')} / ${en.join('; ')}` };
  return {
    month,
    town,
    recipients: Number(value('recipients')),
    totalAmountFen: total.fen,
    population: Number(value('population')),
  };
}

/** A number with exactly `decimals` decimals, never `-0.00`. */
function fixed(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/**
 * `anomalies.csv` (contract section 4, then three explaining columns): header, then one CRLF line per
 * row in the order given. Value, baseline and band with the metric's decimals (share 6, growth 4,
 * amounts 2), empty when `null`; score with 2 decimals or empty; flagged `true`/`false`.
 */
export function anomaliesCsv(rows: readonly AnomalyRow[]): string {
  return (
    csvLine(ANOMALIES_CSV_COLUMNS) +
    rows
      .map((r) => {
        const decimals = METRIC_DECIMALS[r.metric];
        const number = (v: number | null, d = decimals) => (v === null ? '' : fixed(v, d));
        return csvLine([
          r.month,
          r.town,
          r.metric,
          number(r.value),
          number(r.baseline),
          number(r.score, 2),
          r.flagged ? 'true' : 'false',
          number(r.expectedLow),
          number(r.expectedHigh),
          r.explanation,
        ]);
      })
      .join('')
  );
}
