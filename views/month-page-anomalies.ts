import { html, type SafeHtml } from './html.ts';
import type { MonthPageInput } from './month-page.ts';
import { reportMeasure } from './report-format.ts';
import { type BandRow, bandChart, bandText } from './svg-band-chart.ts';
import { type TrendSeries, trendMultiples } from './svg-trend-chart.ts';

type Anomalies = NonNullable<MonthPageInput['anomalies']>;
type AnomalyRow = Anomalies['rows'][number];
type Town = MonthPageInput['towns'][number];

/**
 * Fewest months of history the anomaly charts are drawn from: one month-over-month change
 * needs two months. With less (or with no baseline on any row) the job's note is shown instead.
 */
export const MIN_HISTORY_MONTHS = 2;

const NOT_ENOUGH_HISTORY =
  '尚无足够历史数据，本月未做异常比较。 / Not enough history yet: no anomaly comparison this month.';

const METRIC_LABELS: Readonly<Record<string, string>> = {
  recipients_growth: '受助人数环比增长 / recipients growth',
  amount_growth: '发放金额环比增长 / amount growth',
  recipients: '受助人数 / recipients',
  total_amount: '发放金额 / total amount',
  recipients_per_1000: '每千人受助人数 / recipients per 1,000 people',
  amount_per_recipient: '人均发放金额 / amount per recipient',
  recipients_share: '受助人口占比 / share of residents on assistance',
  average_amount: '人均发放金额 / average amount per recipient',
};

/** A metric's bilingual name where it is a known one, else its code. */
export function metricLabel(metric: string): string {
  return METRIC_LABELS[metric] ?? metric;
}

/** Metrics a town was flagged on: those the town lists and those of its flagged anomaly rows. */
export function flaggedMetricsOf(town: Town, anomalies: Anomalies | null): readonly string[] {
  const fromRows = (anomalies?.rows ?? [])
    .filter((r) => r.flagged && r.town === town.code)
    .map((r) => r.metric);
  return [...new Set([...town.flaggedMetrics, ...fromRows])];
}

/**
 * The anomaly section: (a) each town's value of each metric against its expected band, sorted by
 * score (`growth-chart`); (b) each town's recipients over the history months and this month
 * (`trend-chart`); (c) the flagged rows with their explanations (`flagged-anomalies`). Without the
 * job's result it says so; with too little history it shows the job's note instead of charts.
 */
export function anomalySection(input: MonthPageInput): SafeHtml {
  const anomalies = input.anomalies;
  const heading = html`<h2>4. 异常检测 / Anomalies</h2>`;
  if (anomalies === null) {
    return html`${heading}<p class="panel info" data-testid="anomaly-note">异常检测尚未运行。 / Not yet: the anomaly check has not run.</p>`;
  }
  if (!enoughHistory(anomalies)) {
    return html`${heading}<p class="panel info" data-testid="anomaly-note">${anomalies.note ?? NOT_ENOUGH_HISTORY}</p>`;
  }
  const names = new Map(input.towns.map((t) => [t.code, t.name]));
  return html`${heading}
<p>历史月份 / History months: <strong>${anomalies.historyMonths}</strong> · 评分绝对值超过 <strong>${reportMeasure(anomalies.threshold)}</strong> 即标记为异常 / a score beyond ±${reportMeasure(anomalies.threshold)} is flagged.</p>
${anomalies.note === undefined ? '' : html`<p class="muted" data-testid="anomaly-note">${anomalies.note}</p>`}
<figure class="chart-box" data-testid="growth-chart">
<figcaption>本月指标与预期区间（按评分排序）/ This month against the expected band, by score</figcaption>
${metricsOf(anomalies.rows).map((metric) => bandChart(metricLabel(metric), bandRows(anomalies.rows, metric, names)))}
</figure>
<figure class="chart-box" data-testid="trend-chart">
<figcaption>各镇街受助人数趋势（红色为异常）/ Recipients per town, month by month (flagged in red)</figcaption>
<div class="multiples">${trendMultiples(...trendSeries(input, anomalies))}</div>
</figure>
${flaggedTable(anomalies.rows, names)}`;
}

function enoughHistory(anomalies: Anomalies): boolean {
  return anomalies.historyMonths >= MIN_HISTORY_MONTHS && anomalies.rows.some((r) => r.baseline !== null);
}

/** Distinct metrics, growth metrics first, otherwise in order of appearance. */
function metricsOf(rows: readonly AnomalyRow[]): readonly string[] {
  const metrics = [...new Set(rows.map((r) => r.metric))];
  return [...metrics.filter((m) => /growth/i.test(m)), ...metrics.filter((m) => !/growth/i.test(m))];
}

function bandRows(
  rows: readonly AnomalyRow[],
  metric: string,
  names: ReadonlyMap<string, string>,
): BandRow[] {
  return rows
    .filter((r) => r.metric === metric)
    .toSorted(byScore)
    .map((r) => ({
      label: names.get(r.town) ?? r.town,
      sublabel: r.town,
      value: r.value,
      baseline: r.baseline,
      low: r.expectedLow,
      high: r.expectedHigh,
      score: r.score,
      flagged: r.flagged,
    }));
}

/** Flagged first, then by distance of the score from 0, largest first; no score last. */
function byScore(a: AnomalyRow, b: AnomalyRow): number {
  if (a.flagged !== b.flagged) return a.flagged ? -1 : 1;
  return size(b.score) - size(a.score);
}

function size(score: number | null): number {
  return score !== null && Number.isFinite(score) ? Math.abs(score) : -1;
}

function trendSeries(input: MonthPageInput, anomalies: Anomalies): [string[], TrendSeries[]] {
  const past = anomalies.history.filter((h) => h.month < input.month);
  const months = [...new Set(past.map((h) => h.month))].sort();
  months.push(input.month);
  const towns = new Map(input.towns.map((t) => [t.code, t]));
  const codes = [...new Set([...towns.keys(), ...past.map((h) => h.town)])];
  const series = codes.map((code) => {
    const town = towns.get(code);
    const byMonth = new Map(past.filter((h) => h.town === code).map((h) => [h.month, h.recipients]));
    if (town !== undefined) byMonth.set(input.month, town.recipients);
    const flagged = town !== undefined ? flaggedMetricsOf(town, anomalies).length > 0 : false;
    return {
      label: town?.name ?? code,
      sublabel: code,
      values: months.map((m) => byMonth.get(m) ?? null),
      flagged,
    };
  });
  return [months, series];
}

function flaggedTable(rows: readonly AnomalyRow[], names: ReadonlyMap<string, string>): SafeHtml {
  const flagged = rows.filter((r) => r.flagged).toSorted(byScore);
  const body = flagged.map(
    (r) => html`<tr class="flagged">
  <td>${names.get(r.town) ?? r.town} <span class="muted">${r.town}</span></td>
  <td>${metricLabel(r.metric)} <code>${r.metric}</code></td>
  <td class="num flag">${reportMeasure(r.value)}</td>
  <td class="num">${r.baseline === null ? '—' : reportMeasure(r.baseline)}</td>
  <td class="num">${bandText({ low: r.expectedLow, high: r.expectedHigh })}</td>
  <td class="num">${r.score === null ? '—' : reportMeasure(r.score)}</td>
  <td>${r.explanation}</td>
</tr>`,
  );
  return html`<h3>异常明细 / Flagged this month</h3>
<div class="table-wrap"><table data-testid="flagged-anomalies">
<thead><tr><th>镇街 / Town</th><th>指标 / Metric</th><th class="num">本月 / This month</th><th class="num">基线 / Baseline</th><th class="num">预期区间 / Expected</th><th class="num">评分 / Score</th><th>说明 / Explanation</th></tr></thead>
<tbody>${body.length > 0 ? body : html`<tr><td colspan="7" class="muted">本月无异常 / Nothing flagged this month</td></tr>`}</tbody>
</table></div>`;
}
