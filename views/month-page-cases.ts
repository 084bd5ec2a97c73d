import type { MonthCaseStatistics } from '#domain/cases/case-statistics.ts';
import { CASE_VALUE_LABELS, VISIT_CASE_CODE } from '#schemas/case.ts';
import { FINDING_LABELS_ZH } from '#schemas/finding-labels.ts';
import type { OverdueCase } from '#schemas/overdue-cases.ts';
import { html, type SafeHtml } from './html.ts';
import { reportCount, reportYuan } from './report-format.ts';
import { horizontalBarChart } from './svg-bar-chart.ts';

/** What the month page shows of the cases (issue 11, item 6). */
export interface MonthCasesView {
  readonly overdueDays: number;
  /** The report's month. */
  readonly current: MonthCaseStatistics;
  /** The trailing months with cases, oldest first, the report's month last. */
  readonly history: readonly MonthCaseStatistics[];
  /** The overdue cases of all those months, the oldest first. */
  readonly overdue: readonly OverdueCase[];
}

const codeLabel = (code: string) =>
  code === VISIT_CASE_CODE
    ? '入户核查'
    : ((FINDING_LABELS_ZH as Readonly<Record<string, string | undefined>>)[code] ?? code);

const percent = (share: number | undefined) => (share === undefined ? '—' : `${(share * 100).toFixed(1)}%`);

const found = (m: MonthCaseStatistics['money']) => m.overpaidFen + m.underpaidFen + m.wronglyPaidFen;

/**
 * The bureau's view of the cases: the month at a glance (`case-summary`: open, overdue, per-rule
 * precision, money found and recovered, cases withdrawn by a newer check of the month
 * `case-withdrawn`), per town (`case-towns`, withdrawn apart from closed), outcomes and precision per
 * finding code (`case-outcomes`, chart `case-precision-chart`), month by month (`case-months`,
 * chart `case-money-chart`) and the overdue cases of all those months (`overdue-cases`, IDs
 * masked; `overdue-count` counts them).
 * @param cases `null` before any case was opened: the section says so.
 */
export function casesSection(cases: MonthCasesView | null | undefined): SafeHtml {
  if (cases === null || cases === undefined) {
    return html`<h2>7. 案件跟进 / Cases</h2>
<section class="panel" data-testid="case-summary"><p>尚无案件。 / No cases yet.</p></section>`;
  }
  const { current } = cases;
  return html`<h2>7. 案件跟进 / Cases</h2>
<section class="cards" data-testid="case-summary" aria-label="案件概览 / Cases at a glance">
<div class="card"><h3>案件 / Cases</h3><p class="value">${reportCount(current.cases)}</p><p>未办结 / open ${reportCount(current.open)}</p>${current.withdrawn > 0 ? html`<p class="muted">复核后不再成立 / withdrawn by the newer check <span data-testid="case-withdrawn">${reportCount(current.withdrawn)}</span></p>` : ''}</div>
<div class="card${cases.overdue.length > 0 ? ' warn' : ''}"><h3>逾期（超过 ${cases.overdueDays} 天）/ Overdue (over ${cases.overdueDays} days)</h3><p class="value" data-testid="overdue-count">${reportCount(cases.overdue.length)}</p><p class="muted">本月案件 / of this month's cases ${reportCount(current.overdue)}；其余为以前月份 / the rest of earlier months</p></div>
<div class="card"><h3>核查准确率 / Precision</h3><p class="value" data-testid="case-precision">${percent(current.precision)}</p><p class="muted">确认问题 / 已办结待核查案件 · confirmed problems / closed REVIEW cases</p></div>
<div class="card"><h3>发现问题金额 / Money found</h3><p class="value">¥<span data-testid="money-found">${reportYuan(found(current.money))}</span></p>
<p>多发 / over ¥${reportYuan(current.money.overpaidFen)} · 漏发 / under ¥${reportYuan(current.money.underpaidFen)} · 错发 / wrong ¥${reportYuan(current.money.wronglyPaidFen)}</p>
<p>已追回 / Recovered <strong>¥<span data-testid="money-recovered">${reportYuan(current.money.recoveredFen)}</span></strong></p></div>
</section>
${townsTable(current)}
${codesTable(current)}
${monthsTable(cases.history)}
${overdueList(cases)}`;
}

function townsTable(current: MonthCaseStatistics): SafeHtml {
  const rows = current.towns.map(
    (t) => html`<tr${t.overdue > 0 ? html` class="flagged"` : ''}>
  <td>${t.town}</td><td class="num">${reportCount(t.open)}</td>
  <td class="num">${t.overdue > 0 ? html`<span class="flag">⚠ ${reportCount(t.overdue)}</span>` : '0'}</td>
  <td class="num">${reportCount(t.oldestOpenDays)}</td><td class="num">${reportCount(t.closed)}</td>
  <td class="num">${t.withdrawn > 0 ? reportCount(t.withdrawn) : html`<span class="muted">0</span>`}</td>
</tr>`,
  );
  return html`<h3>各镇街办理进度 / Progress per town</h3>
<div class="table-wrap"><table data-testid="case-towns">
<thead><tr><th>镇街 / Town</th><th class="num">未办结 / Open</th><th class="num">逾期 / Overdue</th><th class="num">最久未办（天）/ Oldest open (days)</th><th class="num">已办结 / Closed</th><th class="num">复核后不再成立 / Withdrawn</th></tr></thead>
<tbody>${rows.length > 0 ? rows : html`<tr><td colspan="6" class="muted">无 / none</td></tr>`}</tbody>
</table></div>`;
}

function codesTable(current: MonthCaseStatistics): SafeHtml {
  const rows = current.codes.map((c) => {
    const outcomes = Object.entries(c.outcomes)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([o, n], i) => html`${i > 0 ? '；' : ''}${CASE_VALUE_LABELS[o]?.zh ?? o} ${reportCount(n)}`);
    return html`<tr>
  <td>${codeLabel(c.code)} <code>${c.code}</code></td><td class="num">${reportCount(c.cases)}</td>
  <td class="num">${reportCount(c.open)}</td><td>${outcomes.length > 0 ? outcomes : html`<span class="muted">—</span>`}</td>
  <td class="num">${c.reviewClosed > 0 ? `${reportCount(c.problemsConfirmed)} / ${reportCount(c.reviewClosed)} = ${percent(c.precision)}` : '—'}</td>
</tr>`;
  });
  const bars = current.codes
    .filter((c) => c.precision !== undefined)
    .map((c) => ({
      label: codeLabel(c.code),
      sublabel: `${c.code} · ${reportCount(c.reviewClosed)}`,
      value: Math.round((c.precision ?? 0) * 100),
      tone: 'normal' as const,
    }));
  return html`<h3>各核查规则的处理结果与准确率 / Outcomes and precision per rule</h3>
<div class="table-wrap"><table data-testid="case-outcomes">
<thead><tr><th>规则 / Rule</th><th class="num">案件 / Cases</th><th class="num">未办结 / Open</th><th>处理结果 / Outcomes</th><th class="num">准确率 / Precision</th></tr></thead>
<tbody>${rows.length > 0 ? rows : html`<tr><td colspan="5" class="muted">无 / none</td></tr>`}</tbody>
</table></div>
<div data-testid="case-precision-chart">${
    bars.length > 0
      ? horizontalBarChart('各规则准确率（%）/ Precision per rule (%)', bars)
      : html`<p class="muted">尚无已办结的待核查案件。 / No REVIEW case closed yet.</p>`
  }</div>`;
}

function monthsTable(history: readonly MonthCaseStatistics[]): SafeHtml {
  const rows = history.map(
    (
      m,
    ) => html`<tr><td>${m.month}</td><td class="num">${reportCount(m.cases)}</td><td class="num">${reportCount(m.open)}</td>
<td class="num">${percent(m.precision)}</td><td class="num">${reportYuan(found(m.money))}</td><td class="num">${reportYuan(m.money.recoveredFen)}</td></tr>`,
  );
  const bars = history.map((m) => ({
    label: m.month,
    sublabel: `追回 / recovered ¥${reportYuan(m.money.recoveredFen)}`,
    value: Math.round(found(m.money) / 100),
    tone: 'caution' as const,
  }));
  return html`<h3>逐月 / Month by month</h3>
<div class="table-wrap"><table data-testid="case-months">
<thead><tr><th>月份 / Month</th><th class="num">案件 / Cases</th><th class="num">未办结 / Open</th><th class="num">准确率 / Precision</th><th class="num">发现问题金额（元）/ Money found (yuan)</th><th class="num">追回（元）/ Recovered (yuan)</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>
<div data-testid="case-money-chart">${horizontalBarChart('逐月发现问题金额（元）/ Money found per month (yuan)', bars)}</div>`;
}

function overdueList(cases: MonthCasesView): SafeHtml {
  const rows = cases.overdue.map(
    (c) =>
      html`<tr class="flagged"><td>${c.month}</td><td>${c.town}</td><td>${codeLabel(c.code)} <code>${c.code}</code></td><td>${c.maskedId}</td><td class="num">${reportCount(c.ageDays)}</td></tr>`,
  );
  return html`<h3>逾期案件 / Overdue cases</h3>
<div class="table-wrap"><table data-testid="overdue-cases">
<thead><tr><th>月份 / Month</th><th>镇街 / Town</th><th>规则 / Rule</th><th>身份证号 / ID</th><th class="num">已开（天）/ Age (days)</th></tr></thead>
<tbody>${rows.length > 0 ? rows : html`<tr><td colspan="5" class="muted">无逾期案件 / none overdue</td></tr>`}</tbody>
</table></div>`;
}
