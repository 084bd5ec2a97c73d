import { CLOSEOUT_CODES, CLOSEOUT_LABELS_ZH } from '#schemas/closeout.ts';
import { FINDING_LABELS_ZH } from '#schemas/finding-labels.ts';
import { html, type SafeHtml } from './html.ts';
import type { MonthPageInput } from './month-page.ts';
import { categoryLabel, flagsOf, metricLabel, type TownFlag } from './month-page-anomalies.ts';
import { reportCount, reportYuan } from './report-format.ts';
import { horizontalBarChart } from './svg-bar-chart.ts';

type Finding = MonthPageInput['findingsByCode'][number];

const findingLabel = FINDING_LABELS_ZH as Readonly<Record<string, string | undefined>>;
const closeoutLabel = CLOSEOUT_LABELS_ZH as Readonly<Record<string, string | undefined>>;
const SEVERITY_TEXT = { BLOCK: '阻断 / BLOCK', REVIEW: '待核查 / REVIEW' } as const;

/** A town's flags, a category per line: `⚠ 低保（DIBAO）：受助人数环比增长、发放总额`. */
function flagList(flags: readonly TownFlag[]): SafeHtml {
  const byCategory = new Map<string | null, string[]>();
  for (const f of flags) {
    const zh = metricLabel(f.metric, f.category).split(' / ')[0] as string;
    byCategory.set(f.category, [...(byCategory.get(f.category) ?? []), zh]);
  }
  return html`${[...byCategory].map(
    ([category, metrics], i) =>
      html`${i > 0 ? html`<br>` : ''}<span class="flag">⚠ ${categoryLabel(category).split(' / ')[0]}：${metrics.join('、')}</span>`,
  )}`;
}

/**
 * Per-town table (`town-table`): population, recipients, released and held rows and amounts, home
 * visits with spares, and what the anomaly check flagged, per category (flagged towns highlighted).
 */
export function townTable(input: MonthPageInput): SafeHtml {
  const rows = input.towns.map((town) => {
    const flags = flagsOf(town, input.anomalies);
    return html`<tr${flags.length > 0 ? html` class="flagged"` : ''}>
  <td>${town.name} <span class="muted">${town.code}</span></td>
  <td class="num">${reportCount(town.population)}</td>
  <td class="num">${reportCount(town.recipients)}</td>
  <td class="num">${reportCount(town.releasedRows)}</td>
  <td class="num">${reportYuan(town.releasedAmountFen)}</td>
  <td class="num">${reportCount(town.heldRows)}</td>
  <td class="num">${reportYuan(town.heldAmountFen)}</td>
  <td class="num">${reportCount(town.sampleVisits)} <span class="muted">(+${reportCount(town.sampleReplacements)})</span></td>
  <td>${flags.length > 0 ? flagList(flags) : html`<span class="muted">—</span>`}</td>
</tr>`;
  });
  const sum = (pick: (t: MonthPageInput['towns'][number]) => number) =>
    input.towns.reduce((total, t) => total + pick(t), 0);
  return html`<div class="table-wrap"><table data-testid="town-table">
<thead><tr><th>镇街 / Town</th><th class="num">户籍人口 / Population</th><th class="num">受助人数 / Recipients</th><th class="num">发放笔数 / Released rows</th><th class="num">发放金额（元）/ Released (yuan)</th><th class="num">暂停笔数 / Held rows</th><th class="num">暂停金额（元）/ Held (yuan)</th><th class="num">入户核查（备选）/ Home visits (spares)</th><th>异常指标 / Anomaly flags</th></tr></thead>
<tbody>${rows.length > 0 ? rows : noneRow(9)}</tbody>
<tfoot><tr><th>合计 / Total</th><td class="num">${reportCount(sum((t) => t.population))}</td><td class="num">${reportCount(sum((t) => t.recipients))}</td><td class="num">${reportCount(sum((t) => t.releasedRows))}</td><td class="num">${reportYuan(sum((t) => t.releasedAmountFen))}</td><td class="num">${reportCount(sum((t) => t.heldRows))}</td><td class="num">${reportYuan(sum((t) => t.heldAmountFen))}</td><td class="num">${reportCount(sum((t) => t.sampleVisits))} <span class="muted">(+${reportCount(sum((t) => t.sampleReplacements))})</span></td><td></td></tr></tfoot>
</table></div>`;
}

/**
 * Findings per code (`findings-by-code`: Chinese label, code, severity, count; BLOCK first, then
 * by count) and the same counts as a horizontal bar chart (`findings-chart`, BLOCK red, REVIEW amber).
 */
export function findingsSection(findings: readonly Finding[]): SafeHtml {
  const sorted = findings.toSorted(
    (a, b) =>
      Number(a.severity !== 'BLOCK') - Number(b.severity !== 'BLOCK') ||
      b.count - a.count ||
      a.code.localeCompare(b.code),
  );
  const rows = sorted.map(
    (f) => html`<tr>
  <td>${findingLabel[f.code] ?? f.code} <code>${f.code}</code></td>
  <td${f.severity === 'BLOCK' ? html` class="flag"` : ''}>${SEVERITY_TEXT[f.severity]}</td>
  <td class="num">${reportCount(f.count)}</td>
</tr>`,
  );
  const chart = horizontalBarChart(
    '各类问题条数 / Findings per code',
    sorted.map((f) => ({
      label: findingLabel[f.code] ?? f.code,
      sublabel: `${f.code} · ${f.severity}`,
      value: f.count,
      tone: f.severity === 'BLOCK' ? 'alert' : 'caution',
    })),
  );
  return html`<h2>2. 问题分类 / Findings by code</h2>
<p class="muted">阻断：该笔暂停发放；待核查：转经办人员核查，不暂停发放。 / BLOCK holds the payment; REVIEW goes to a case worker and does not hold it.</p>
<table data-testid="findings-by-code">
<thead><tr><th>问题 / Finding</th><th>严重程度 / Severity</th><th class="num">条数 / Findings</th></tr></thead>
<tbody>${rows.length > 0 ? rows : noneRow(3)}</tbody>
</table>
<figure class="chart-box" data-testid="findings-chart">
<figcaption>各类问题条数 / Findings per code</figcaption>
${rows.length > 0 ? chart : html`<p class="muted">无 / None</p>`}
</figure>`;
}

/** Home-visit sample (`sample-summary`): the seed and the totals; per town in the town table. */
export function sampleSection(sample: MonthPageInput['sample']): SafeHtml {
  const body =
    sample === null
      ? html`<p>尚未抽样。 / Not yet: no households drawn for home visits.</p>`
      : html`<p>本月抽取 <strong>${reportCount(sample.visits)}</strong> 户入户核查，另备 <strong>${reportCount(sample.replacements)}</strong> 户备选。 / ${reportCount(sample.visits)} households drawn for home visits, ${reportCount(sample.replacements)} spares.</p>
<p>随机种子 / Seed: <code>${sample.seed}</code> <span class="muted">（同一种子可复现同一抽样 / the same seed draws the same sample）</span></p>
<p class="muted">各镇街户数见镇街表。 / Counts per town are in the town table.</p>`;
  return html`<h2>5. 入户核查抽样 / Home-visit sample</h2>
<section class="panel" data-testid="sample-summary">${body}</section>`;
}

/** Close-out (`closeout-summary`): state, paid and failed amounts, rows per close-out code. */
export function closeoutSection(closeout: MonthPageInput['closeout']): SafeHtml {
  if (closeout === null) {
    return html`<h2>6. 银行结果 / Close-out</h2>
<section class="panel" data-testid="closeout-summary"><p>尚未结账：银行回盘尚未处理。 / Not yet: no bank returns processed.</p></section>`;
  }
  const known = CLOSEOUT_CODES as readonly string[];
  const codes = Object.keys(closeout.countsByCode).toSorted(
    (a, b) => rank(known, a) - rank(known, b) || a.localeCompare(b),
  );
  const rows = codes.map(
    (code) => html`<tr${code === 'PAID' ? '' : html` class="flagged"`}>
  <td>${closeoutLabel[code] ?? code} <code>${code}</code></td>
  <td class="num">${reportCount(closeout.countsByCode[code] ?? 0)}</td>
</tr>`,
  );
  const state =
    closeout.state === 'CLOSED'
      ? html`<span class="badge good">已结账 / CLOSED</span>`
      : html`<span class="badge warn">未结清 / OPEN</span> <span class="muted">尚有款项待处理 / some payments are still unsettled</span>`;
  return html`<h2>6. 银行结果 / Close-out</h2>
<section class="panel" data-testid="closeout-summary">
<p>结账状态 / State: ${state}</p>
<p>已支付 / Paid: <strong>¥${reportYuan(closeout.paidAmountFen)}</strong> · 支付失败 / Failed: <strong>¥${reportYuan(closeout.failedAmountFen)}</strong></p>
<table>
<thead><tr><th>结果 / Outcome</th><th class="num">笔数 / Rows</th></tr></thead>
<tbody>${rows.length > 0 ? rows : noneRow(2)}</tbody>
</table>
</section>`;
}

function rank(known: readonly string[], code: string): number {
  const i = known.indexOf(code);
  return i < 0 ? known.length : i;
}

function noneRow(columns: number): SafeHtml {
  return html`<tr><td colspan="${columns}" class="muted">无 / None</td></tr>`;
}
