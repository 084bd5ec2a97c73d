import { CATEGORIES } from '#schemas/categories.ts';
import { groupThousands } from './display-number.ts';
import { html, type SafeHtml } from './html.ts';
import type { MonthPageInput } from './month-page.ts';
import { reportMeasure } from './report-format.ts';
import { percentTicks, type TickFormat } from './svg-axis.ts';
import { type BandRow, bandChart } from './svg-band-chart.ts';
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
  total_amount: '发放总额 / total paid',
  recipients_per_1000: '每千人受助人数 / recipients per 1,000 people',
  amount_per_recipient: '人均发放金额 / amount per recipient',
  recipients_share: '受助人口占比 / share of residents on assistance',
  average_amount: '人均发放金额 / average amount per recipient',
};

/** A metric's bilingual name where it is a known one, else its code. */
export function metricLabel(metric: string, category?: string | null): string {
  if (metric === 'average_amount' && category === 'DIBAO')
    return '补差水平（人均发放）/ top-up level per recipient';
  return METRIC_LABELS[metric] ?? metric;
}

const CATEGORY_LABELS = new Map(CATEGORIES.map((c) => [c.code as string, c.labels[0] ?? c.code]));
const ALL_CATEGORIES = '全部类别 / all categories';

/** A category as the page names it: `低保（DIBAO）`, or all categories together for none. */
export function categoryLabel(category: string | null | undefined): string {
  if (category === null || category === undefined || category === '') return ALL_CATEGORIES;
  const zh = CATEGORY_LABELS.get(category);
  return zh === undefined ? category : `${zh}（${category}）`;
}

/** A row's category, `null` for all categories together (also for rows written before categories). */
const categoryOf = (row: AnomalyRow): string | null => row.category ?? null;

/** One flag of a town: a metric, for all categories (`category` null) or one category. */
export interface TownFlag {
  readonly category: string | null;
  readonly metric: string;
}

/** What a town was flagged on: the metrics the town lists (all categories), then its flagged rows. */
export function flagsOf(town: Town, anomalies: Anomalies | null): readonly TownFlag[] {
  const flags = new Map<string, TownFlag>();
  for (const metric of town.flaggedMetrics) flags.set(`\u0000${metric}`, { category: null, metric });
  for (const row of anomalies?.rows ?? []) {
    if (row.flagged && row.town === town.code) {
      flags.set(`${categoryOf(row) ?? ''}\u0000${row.metric}`, {
        category: categoryOf(row),
        metric: row.metric,
      });
    }
  }
  return [...flags.values()];
}

/**
 * The anomaly section: (a) the flagged towns and categories first — a line naming them
 * (`flagged-summary`) and a table of each flagged row with its explanation (`flagged-anomalies`),
 * towns with the largest departure first; (b) each town's value of each metric, all categories
 * together, against its expected band, flagged first, then the same for each category and metric
 * flagged somewhere (`growth-chart`, each chart titled with its metric and category); (c) each town's
 * recipients over the history months and this month (`trend-chart`). Without the job's result it
 * says so; with too little history it shows the job's note instead of charts.
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
${flaggedSummary(anomalies.rows, names)}
${flaggedTable(anomalies.rows, names)}
<figure class="chart-box" data-testid="growth-chart">
<figcaption>本月指标与预期区间（异常在前）/ This month against the expected band (flagged first)</figcaption>
<p class="muted">环比图为本月环比；其余各图为本月值相对预期值的偏离。 / Growth charts show this month's growth; the others show how far this month's value is from what was expected.</p>
${chartsOf(anomalies.rows).map(({ category, metric }) =>
  bandChart(chartOptions(metric, category), bandRows(anomalies.rows, metric, category, names)),
)}
</figure>
<figure class="chart-box" data-testid="trend-chart">
<figcaption>各镇街受助人数（全部类别）逐月趋势，红色为有异常的镇街 / Recipients per town, all categories, month by month (towns with a flag in red)</figcaption>
<div class="multiples">${trendMultiples(...trendSeries(input, anomalies), '受助人数（全部类别）')}</div>
</figure>`;
}

function enoughHistory(anomalies: Anomalies): boolean {
  return anomalies.historyMonths >= MIN_HISTORY_MONTHS && anomalies.rows.some((r) => r.baseline !== null);
}

/** Distinct metrics, growth metrics first, otherwise in order of appearance. */
function metricsOf(rows: readonly AnomalyRow[]): readonly string[] {
  const metrics = [...new Set(rows.map((r) => r.metric))];
  return [...metrics.filter((m) => /growth/i.test(m)), ...metrics.filter((m) => !/growth/i.test(m))];
}

/**
 * The charts drawn: every metric for all categories together, then each category and metric with
 * a flagged row (categories in order of appearance).
 */
function chartsOf(rows: readonly AnomalyRow[]): readonly TownFlag[] {
  const all = rows.filter((r) => categoryOf(r) === null);
  const flagged = rows.filter((r) => r.flagged && categoryOf(r) !== null);
  const categories = [...new Set(flagged.map(categoryOf))];
  return [
    ...metricsOf(all).map((metric) => ({ category: null, metric })),
    ...categories.flatMap((category) =>
      metricsOf(flagged.filter((r) => categoryOf(r) === category)).map((metric) => ({ category, metric })),
    ),
  ];
}

/** Whether a metric's chart draws its value as is (growth) or as a departure from the expected value. */
const drawnAsIs = (metric: string) => /growth/i.test(metric);

function chartOptions(metric: string, category: string | null): { title: string; format: TickFormat } {
  const [zh = metric, en = metric] = metricLabel(metric, category).split(' / ');
  const [czh, cen] = category === null ? ['全部类别', 'all categories'] : [categoryLabel(category), category];
  const [againstZh, againstEn] = drawnAsIs(metric) ? ['', ''] : ['，相对预期', ', against expected'];
  return { title: `${zh} · ${czh}${againstZh} / ${en} · ${cen}${againstEn}`, format: percentTicks };
}

/** A number with `decimals` decimals and thousands separators, `−` for minus; exponent from a billion. */
function fixed(value: number, decimals: number, sign = false): string {
  if (!Number.isFinite(value)) return '—';
  if (Math.abs(value) >= 1e9) return value.toExponential(2);
  const text = Math.abs(value).toFixed(decimals);
  const [integer = '0', fraction = ''] = text.split('.');
  const body = `${groupThousands(integer)}${fraction ? `.${fraction}` : ''}`;
  if (Number(text) === 0) return body;
  return value < 0 ? `\u2212${body}` : sign ? `+${body}` : body;
}

/** A value as the page writes it for its metric: `+4.2%`, `2.13%`, `812.50 元`. */
function shown(metric: string, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (metric === 'recipients_share') {
    const p = value * 100;
    return `${fixed(p, p !== 0 && Math.abs(p) < 0.1 ? 4 : 2)}%`;
  }
  if (/growth/i.test(metric)) return `${fixed(value * 100, 1, true)}%`;
  if (metric === 'average_amount' || metric === 'total_amount') return `${fixed(value, 2)} 元`;
  return reportMeasure(value);
}

function bandRows(
  rows: readonly AnomalyRow[],
  metric: string,
  category: string | null,
  names: ReadonlyMap<string, string>,
): BandRow[] {
  return rows
    .filter((r) => r.metric === metric && categoryOf(r) === category)
    .toSorted(byScore)
    .map((r) => {
      const base = r.baseline;
      const relative = (v: number | null) =>
        v === null || base === null || !(base > 0) ? null : v / base - 1;
      const asIs = drawnAsIs(metric);
      return {
        label: names.get(r.town) ?? r.town,
        sublabel: r.town,
        value: asIs ? r.value : (relative(r.value) ?? Number.NaN),
        baseline: asIs ? r.baseline : base !== null && base > 0 ? 0 : null,
        low: asIs ? r.expectedLow : relative(r.expectedLow),
        high: asIs ? r.expectedHigh : relative(r.expectedHigh),
        score: r.score,
        flagged: r.flagged,
        shown: shown(metric, r.value),
      };
    });
}

/** Flagged first, then by distance of the score from 0, largest first; no score last. */
function byScore(a: AnomalyRow, b: AnomalyRow): number {
  if (a.flagged !== b.flagged) return a.flagged ? -1 : 1;
  return size(b.score) - size(a.score);
}

function size(score: number | null): number {
  return score !== null && Number.isFinite(score) ? Math.abs(score) : -1;
}

/** The flagged rows, a town's together: towns with the largest departure first, then by category and metric. */
function flaggedInOrder(rows: readonly AnomalyRow[]): AnomalyRow[] {
  const flagged = rows.filter((r) => r.flagged);
  const largest = new Map<string, number>();
  for (const r of flagged) largest.set(r.town, Math.max(largest.get(r.town) ?? -1, size(r.score)));
  const position = new Map(flagged.map((r, i) => [r, i]));
  return flagged.toSorted(
    (a, b) =>
      (largest.get(b.town) ?? 0) - (largest.get(a.town) ?? 0) ||
      a.town.localeCompare(b.town) ||
      (position.get(a) ?? 0) - (position.get(b) ?? 0),
  );
}

function flaggedSummary(rows: readonly AnomalyRow[], names: ReadonlyMap<string, string>): SafeHtml {
  const byTown = new Map<string, string[]>();
  for (const r of flaggedInOrder(rows)) {
    const categories = byTown.get(r.town) ?? [];
    const label = categoryLabel(categoryOf(r)).split(' / ')[0] as string;
    if (!categories.includes(label)) categories.push(label);
    byTown.set(r.town, categories);
  }
  const towns = [...byTown].map(
    ([town, categories]) =>
      html`<strong class="flag">${names.get(town) ?? town}</strong> <span class="muted">${town}</span>（${categories.join('、')}）`,
  );
  return html`<p class="panel${towns.length > 0 ? ' warn' : ''}" data-testid="flagged-summary">${
    towns.length > 0
      ? html`本月异常 / Flagged this month: ${towns.map((t, i) => html`${i > 0 ? '；' : ''}${t}`)}`
      : '本月无异常 / Nothing flagged this month'
  }</p>`;
}

function flaggedTable(rows: readonly AnomalyRow[], names: ReadonlyMap<string, string>): SafeHtml {
  const body = flaggedInOrder(rows).map(
    (r) => html`<tr class="flagged">
  <td>${names.get(r.town) ?? r.town} <span class="muted">${r.town}</span></td>
  <td>${categoryLabel(categoryOf(r))}</td>
  <td>${metricLabel(r.metric, categoryOf(r))} <code>${r.metric}</code></td>
  <td class="num flag">${shown(r.metric, r.value)}</td>
  <td class="num">${shown(r.metric, r.baseline)}</td>
  <td class="num">${shown(r.metric, r.expectedLow)} ~ ${shown(r.metric, r.expectedHigh)}</td>
  <td class="num">${r.score === null ? '—' : reportMeasure(r.score)}</td>
  <td>${r.explanation}</td>
</tr>`,
  );
  return html`<h3>异常明细 / Flagged this month</h3>
<div class="table-wrap"><table data-testid="flagged-anomalies">
<thead><tr><th>镇街 / Town</th><th>类别 / Category</th><th>指标 / Metric</th><th class="num">本月 / This month</th><th class="num">预期 / Expected</th><th class="num">预期区间 / Band</th><th class="num">评分 / Score</th><th>说明 / Explanation</th></tr></thead>
<tbody>${body.length > 0 ? body : html`<tr><td colspan="8" class="muted">本月无异常 / Nothing flagged this month</td></tr>`}</tbody>
</table></div>`;
}

function trendSeries(input: MonthPageInput, anomalies: Anomalies): [string[], TrendSeries[]] {
  const past = anomalies.history.filter((h) => h.month < input.month && h.category === undefined);
  const months = [...new Set(past.map((h) => h.month))].sort();
  months.push(input.month);
  const towns = new Map(input.towns.map((t) => [t.code, t]));
  const codes = [...new Set([...towns.keys(), ...past.map((h) => h.town)])];
  const series = codes.map((code) => {
    const town = towns.get(code);
    const byMonth = new Map(past.filter((h) => h.town === code).map((h) => [h.month, h.recipients]));
    if (town !== undefined) byMonth.set(input.month, town.recipients);
    const flagged = town !== undefined ? flagsOf(town, anomalies).length > 0 : false;
    return {
      label: town?.name ?? code,
      sublabel: code,
      values: months.map((m) => byMonth.get(m) ?? null),
      flagged,
    };
  });
  return [months, series];
}
