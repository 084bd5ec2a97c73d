import type { AnomalyRow, TownMonthMetrics } from '#schemas/metrics.ts';
import { html, page, type SafeHtml } from './html.ts';
import { maskIdLike, maskIdLikeDeep } from './mask-ids.ts';
import { anomalySection } from './month-page-anomalies.ts';
import { casesSection, type MonthCasesView } from './month-page-cases.ts';
import { closeoutSection, findingsSection, sampleSection, townTable } from './month-page-sections.ts';
import { MONTH_PAGE_STYLE } from './month-page-style.ts';
import { groupInEights, reportCount, reportYuan } from './report-format.ts';

/** Everything `report.html` shows of a month (contract section 4); amounts in integer fen. */
export interface MonthPageInput {
  readonly month: string;
  readonly generatedAt: string;
  /** Month state in one word: CLOSED | OPEN | RELEASED | HELD | AWAITING_APPROVAL | CHECKED | NOT_CHECKED */
  readonly state: string;
  readonly totals: {
    validRows: number;
    validAmountFen: number;
    heldRows: number;
    heldAmountFen: number;
    invalidRows: number;
    batches: number;
    rejectedBatches: number;
    missingBatches: readonly string[];
  };
  readonly towns: readonly {
    code: string;
    name: string;
    population: number;
    recipients: number;
    releasedRows: number;
    releasedAmountFen: number;
    heldRows: number;
    heldAmountFen: number;
    sampleVisits: number;
    sampleReplacements: number;
    flaggedMetrics: readonly string[];
  }[];
  readonly findingsByCode: readonly { code: string; severity: 'BLOCK' | 'REVIEW'; count: number }[];
  readonly approval: {
    status: string;
    requiredApprovals: number;
    /** `sameDeviceAs`: earlier approvers (names) who approved from the same IP and user agent. */
    approvers: readonly { name: string; at: string; sameDeviceAs?: readonly string[] }[];
    reason?: string;
  } | null;
  readonly release: { rows: number; amountFen: number; sha256: string; releasedAt: string } | null;
  readonly closeout: {
    state: 'CLOSED' | 'OPEN';
    countsByCode: Readonly<Record<string, number>>;
    paidAmountFen: number;
    failedAmountFen: number;
  } | null;
  readonly anomalies: {
    historyMonths: number;
    note?: string | undefined;
    threshold: number;
    /**
     * Rows of `anomalies.csv` (any metric name is shown; known ones get a label); `category` null or
     * absent for all categories together.
     */
    rows: readonly (Omit<AnomalyRow, 'month' | 'metric' | 'category'> & {
      metric: string;
      category?: string | null;
    })[];
    /** The towns' indicators of the trailing months, for the trend lines. */
    history: readonly TownMonthMetrics[];
  } | null;
  readonly sample: { seed: string; visits: number; replacements: number } | null;
  /** The cases of the town desk (issue 11); absent or `null` before any was opened. */
  readonly cases?: MonthCasesView | null;
}

const STATES: Readonly<Record<string, { text: string; tone: 'good' | 'warn' | 'info' }>> = {
  NOT_CHECKED: { text: '未核查', tone: 'info' },
  CHECKED: { text: '已核查', tone: 'info' },
  AWAITING_APPROVAL: { text: '待审批', tone: 'info' },
  HELD: { text: '暂停发放', tone: 'warn' },
  RELEASED: { text: '已发放', tone: 'good' },
  OPEN: { text: '结账未完成', tone: 'warn' },
  CLOSED: { text: '已结账', tone: 'good' },
};

const APPROVAL_STATUSES: Readonly<Record<string, string>> = {
  PENDING: '待审批',
  APPROVED: '已批准',
  REJECTED: '已驳回',
  EXPIRED: '已过期',
};

/**
 * The month at a glance for a person (`report.html`, contract section 4): state, released / held /
 * paid amounts and the approval, a table per town, findings per code with a bar chart, the flagged
 * towns and categories with their explanations, the anomaly charts (band and trend, inline SVG),
 * the home-visit sample, the close-out and
 * the release's SHA-256. Sections without data yet say "尚未 / not yet".
 *
 * Self-contained (no scripts, nothing fetched) and printable. Every text is escaped and every
 * ID-like run masked (first 6 + last 4), in the data and, as a last defence, in the whole page;
 * numbers are written so that no long run of digits appears. Stable `data-testid`s:
 * `report-state`, `released-amount`, `held-amount`, `town-table`, `findings-by-code`,
 * `findings-chart`, `flagged-summary`, `flagged-anomalies`, `growth-chart`, `trend-chart`,
 * `sample-summary`, `closeout-summary`; every chart's visible title has the class `chart-title`, every
 * axis label `axis-tick`. Pure: no I/O; never throws on odd numbers (they are written as `—`).
 */
export function renderMonthPage(input: MonthPageInput): string {
  const data = maskIdLikeDeep(input);
  const title = `${data.month} 月度发放报告 / ${data.month} month report`;
  const body = html`${MONTH_PAGE_STYLE}
${header(data)}
${glance(data)}
<h2>1. 各镇街 / Towns</h2>
${townTable(data)}
${findingsSection(data.findingsByCode)}
<h2>3. 审批 / Approval</h2>
${approvalDetail(data.approval)}
${anomalySection(data)}
${sampleSection(data.sample)}
${closeoutSection(data.closeout)}
${casesSection(data.cases)}
${footer(data, input.release?.sha256)}`;
  return maskIdLike(page({ title, body }));
}

function header(data: MonthPageInput): SafeHtml {
  const state = STATES[data.state] ?? { text: data.state, tone: 'info' };
  return html`<header>
  <p class="muted">payguard · 社会救助资金月度发放报告 / Social-assistance monthly payout report</p>
  <h1>${data.month} 月度报告 / ${data.month} month report
    <span class="badge ${state.tone}" data-testid="report-state">${state.text} / ${data.state}</span></h1>
  <p class="muted">生成于 / Generated at: ${data.generatedAt}</p>
</header>`;
}

function glance(data: MonthPageInput): SafeHtml {
  const { totals, release, closeout } = data;
  const released =
    release === null
      ? html`<p class="value" data-testid="released-amount">尚未发放 / not yet</p>`
      : html`<p class="value">¥<span data-testid="released-amount">${reportYuan(release.amountFen)}</span></p>
<p>${reportCount(release.rows)} 笔 / rows · ${release.releasedAt}</p>`;
  const bank =
    closeout === null
      ? html`<p class="value">尚未结账 / not yet</p><p class="muted">银行回盘未处理 / no bank returns yet</p>`
      : html`<p>已支付 / Paid <strong>¥${reportYuan(closeout.paidAmountFen)}</strong></p>
<p>支付失败 / Failed <strong>¥${reportYuan(closeout.failedAmountFen)}</strong></p>
<p>${closeout.state === 'CLOSED' ? '已结账 / closed' : html`<span class="flag">未结清 / open</span>`}</p>`;
  return html`<section class="cards" aria-label="本月概览 / The month at a glance">
<div class="card"><h3>已发放 / Released</h3>${released}</div>
<div class="card${totals.heldRows > 0 ? ' warn' : ''}"><h3>暂停发放（阻断）/ Held (BLOCK)</h3>
<p class="value">¥<span data-testid="held-amount">${reportYuan(totals.heldAmountFen)}</span></p>
<p>${reportCount(totals.heldRows)} 笔 / rows</p></div>
<div class="card"><h3>银行结果 / Paid and failed</h3>${bank}</div>
<div class="card"><h3>审批 / Approval</h3>${approvalCard(data.approval)}</div>
</section>
<p data-testid="batch-totals">有效行 / Valid rows: <strong>${reportCount(totals.validRows)}</strong>（¥${reportYuan(totals.validAmountFen)}）· 无效行 / Invalid rows: <strong>${reportCount(totals.invalidRows)}</strong> · 批次 / Batches: <strong>${reportCount(totals.batches)}</strong>，拒收 / rejected: <strong>${reportCount(totals.rejectedBatches)}</strong> · 未上传 / Missing: ${totals.missingBatches.length > 0 ? html`<strong class="flag">${totals.missingBatches.join('、')}</strong>` : '无 / none'}</p>`;
}

function approvalCard(approval: MonthPageInput['approval']): SafeHtml {
  if (approval === null)
    return html`<p class="value">尚未审批 / not yet</p><p class="muted">尚未提交审批 / not requested yet</p>`;
  const who = approval.approvers.map(
    (a) => html`<li>${a.name} · ${a.at}${sameDeviceFlag(a.sameDeviceAs)}</li>`,
  );
  return html`<p class="value">${statusText(approval.status)}</p>
<p>${reportCount(approval.approvers.length)} / ${reportCount(approval.requiredApprovals)} 人批准 / approvals</p>
${who.length > 0 ? html`<ul>${who}</ul>` : ''}`;
}

function approvalDetail(approval: MonthPageInput['approval']): SafeHtml {
  if (approval === null) return html`<p>尚未提交审批。 / Not yet: no approval requested.</p>`;
  const rows = approval.approvers.map(
    (a) => html`<tr><td>${a.name}${sameDeviceFlag(a.sameDeviceAs)}</td><td>${a.at}</td></tr>`,
  );
  return html`<p>状态 / Status: <strong>${statusText(approval.status)}</strong> · 需 ${reportCount(approval.requiredApprovals)} 人批准 / approvals required: ${reportCount(approval.requiredApprovals)}</p>
${approval.reason === undefined ? '' : html`<p>理由 / Reason: ${approval.reason}</p>`}
<table data-testid="approvers">
<thead><tr><th>审批人 / Approver</th><th>时间 / At</th></tr></thead>
<tbody>${rows.length > 0 ? rows : html`<tr><td colspan="2" class="muted">无 / None</td></tr>`}</tbody>
</table>`;
}

/** The flag of an approval made from the device of an earlier one (recorded, not refused). */
function sameDeviceFlag(names: readonly string[] | undefined): SafeHtml {
  if (names === undefined || names.length === 0) return html``;
  return html` <strong class="flag" data-testid="same-device-flag">与 ${names.join('、')} 同一设备 / same device as ${names.join(', ')}</strong>`;
}

function statusText(status: string): string {
  const zh = APPROVAL_STATUSES[status];
  return zh === undefined ? status : `${zh} / ${status}`;
}

function footer(data: MonthPageInput, sha256: string | undefined): SafeHtml {
  const hash =
    sha256 === undefined
      ? html`尚未发放 / not released yet`
      : html`<code data-testid="release-sha256">${groupInEights(sha256)}</code>`;
  return html`<footer>
<p>发放文件 SHA-256 / Release file SHA-256: ${hash}</p>
<p>payguard · ${data.month} · ${data.generatedAt}</p>
</footer>`;
}
