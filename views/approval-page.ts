import type { ApprovalView, ReleaseTotal } from '#schemas/approval-view.ts';
import { FINDING_LABELS_ZH } from '#schemas/finding-labels.ts';
import { displayYuan } from '#schemas/money.ts';
import { displayCount } from './display-number.ts';
import { html, page, type SafeHtml } from './html.ts';
import { maskIdLikeDeep } from './mask-ids.ts';

/** A decision already recorded on the approval request (four eyes: the first of two). */
export interface RecordedDecision {
  readonly approverName: string;
  readonly decision: 'APPROVED' | 'REJECTED';
  /** When, as shown to the approver. */
  readonly at: string;
}

/** Input of {@link renderApprovalPage}. */
export interface ApprovalPageInput {
  readonly view: ApprovalView;
  /** The approver the link was sent to. */
  readonly approver: { readonly id: string; readonly name: string };
  /** 1, or 2 for four eyes. */
  readonly requiredApprovals: number;
  readonly decisions: readonly RecordedDecision[];
  /**
   * Names of the approvers who already approved from this approver's device (the same source IP
   * and user agent): shown as a warning before she decides; deciding is still allowed.
   * @default - none
   */
  readonly sameDeviceAs?: readonly string[];
  /** When the link expires, as shown to the approver. */
  readonly expiresAt: string;
  /** Where the form posts, the signed link token and the CSRF token of this session. */
  readonly form: { readonly action: string; readonly token: string; readonly csrf: string };
  /** Where the month page (report.html) can be read with the same link; none when unset. */
  readonly monthPageHref?: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const labelOf = FINDING_LABELS_ZH as Readonly<Record<string, string | undefined>>;

/**
 * The page an approver opens from the approval email: the month's release (amount, per town and
 * per category), what is held out of it and why, what goes to review, batches and rows not in it,
 * the content hash the decision is bound to, and one form to approve or reject.
 *
 * Every text from the input is escaped, and any ID-like run in it is masked (contract section 4)
 * even if the view was built with an unmasked ID by mistake. Key elements carry `data-testid`s
 * (`release-amount`, `town-totals`, `category-totals`, `held-by-code`, `held-rows`, `approve`,
 * `reject`, `reason`, `content-hash`, `same-device`). Pure: no I/O.
 * @throws RangeError when `view.contentSha256` is not 64 lower-case hex digits or
 *   `requiredApprovals` is not a positive integer.
 */
export function renderApprovalPage(input: ApprovalPageInput): string {
  const hash = input.view.contentSha256;
  if (!SHA256_HEX.test(hash)) throw new RangeError('contentSha256 must be 64 lower-case hex digits');
  if (!Number.isSafeInteger(input.requiredApprovals) || input.requiredApprovals < 1) {
    throw new RangeError('requiredApprovals must be a positive integer');
  }
  const view = maskIdLikeDeep(input.view);
  const approver = maskIdLikeDeep(input.approver);
  const decisions = maskIdLikeDeep(input.decisions);
  const expiresAt = maskIdLikeDeep(input.expiresAt);
  const amount = displayYuan(view.release.amountFen);

  const body = html`
<header>
  <p class="muted">payguard · 社会救助资金发放审批 / Social-assistance payout approval</p>
  <h1>${view.month} 发放审批 / ${view.month} release approval</h1>
  <p>审批人 / Approver: <strong data-testid="approver">${approver.name}</strong> <span class="muted">(${approver.id})</span></p>
  ${input.monthPageHref ? html`<p><a data-testid="report-link" href="${input.monthPageHref}">查看本月报告（图表、各镇街指标）/ Read the month report (charts, town indicators)</a></p>` : html``}
</header>
<section class="panel info" id="release">
  <p>本次申请发放金额 / Amount to release</p>
  <p class="big">¥<span id="release-amount" data-testid="release-amount">${amount}</span></p>
  <p><span data-testid="release-rows">${displayCount(view.release.rows)}</span> 笔，${displayCount(view.release.byTown.length)} 个镇街 / rows from ${displayCount(view.release.byTown.length)} towns</p>
</section>
${fourEyes(input.requiredApprovals, decisions)}
${sameDeviceWarning(maskIdLikeDeep(input.sameDeviceAs ?? []))}
<h2>1. 发放明细 / What is released</h2>
${totalsTable('town-totals', '镇街 / Town', view.release.byTown, view.release)}
${totalsTable('category-totals', '救助类别 / Category', view.release.byCategory, view.release)}
${heldSection(view.held)}
${reviewSection(view.review)}
<h2>4. 未纳入发放 / Not in the release</h2>
${notReleasedTable(view.batchesNotReleased)}
<p data-testid="invalid-rows"><strong>${displayCount(view.invalidRows)}</strong> 行未通过数据校验，不在本次发放中（已另行通知各镇街）。 / rows failed validation and are not in this release (the towns have their validation reports).</p>
<h2>5. 您审批的内容 / What your decision applies to</h2>
<p>您的决定只对以下发放文件有效。若审批期间文件内容发生变化，您的决定不会被记录。 / Your decision applies to this exact release file only. If it changes before you decide, your decision is not recorded.</p>
<p>发放文件 SHA-256 / Release file SHA-256: <code id="content-hash" data-testid="content-hash" title="${hash}">${hash.slice(0, 16)}</code></p>
<p class="muted">运行 / Run: <code>${view.runId}</code> · 生成于 / Generated at: ${view.generatedAt}</p>
<p data-testid="link-expiry">此链接仅供您本人使用，只能使用一次，有效期至 <strong>${expiresAt}</strong>。请勿转发。 / This link is for you only, works once and is valid until <strong>${expiresAt}</strong>. Do not forward it.</p>
${decisionForm(input.form, hash, amount)}
<footer>payguard · ${view.month} · ${view.runId}</footer>
`;
  // Its form posts to the approval site, which refuses `Origin: null` (what `no-referrer` makes browsers send).
  return page({
    title: `${view.month} 发放审批 / ${view.month} release approval`,
    body,
    referrer: 'same-origin',
  });
}

function fourEyes(requiredApprovals: number, decisions: readonly RecordedDecision[]): SafeHtml {
  if (requiredApprovals < 2 && decisions.length === 0) return html``;
  const approved = decisions.filter((d) => d.decision === 'APPROVED').length;
  const remaining = requiredApprovals - approved;
  const rule =
    requiredApprovals >= 2
      ? html`<p>本月发放须经 ${requiredApprovals} 名不同审批人分别批准（四眼原则）。 / This release needs the approval of ${requiredApprovals} different approvers (four eyes).</p>`
      : html``;
  const standing =
    approved > 0 && remaining === 1
      ? html`<p><strong>您批准后即完成审批，款项将进入发放。 / Your approval completes it: the release then goes ahead.</strong></p>`
      : approved === 0 && requiredApprovals >= 2
        ? html`<p>您批准后，还需另一名审批人批准才会发放。 / After you approve, another approver must also approve before anything is paid.</p>`
        : html``;
  const recorded = decisions.map(
    (d) =>
      html`<li>${d.approverName}：${d.decision === 'APPROVED' ? '批准 / approved' : '驳回 / rejected'}，${d.at}</li>`,
  );
  return html`<section class="panel warn" id="four-eyes" data-testid="four-eyes">
  ${rule}
  ${decisions.length > 0 ? html`<p>已记录的决定 / Decisions recorded:</p><ul>${recorded}</ul>` : ''}
  ${standing}
</section>`;
}

function sameDeviceWarning(names: readonly string[]): SafeHtml {
  if (names.length === 0) return html``;
  const who = names.join('、');
  return html`<section class="panel warn" id="same-device" data-testid="same-device">
  <p><strong>注意：${who} 的批准来自与您相同的设备（相同的 IP 地址和浏览器）。</strong>四眼原则要求两个人分别审核。您仍可作出决定，但该情况会记入审计记录和月度报告。</p>
  <p><strong>Note: ${who} approved from this same device (the same IP address and browser).</strong> Four eyes means two people reviewing separately. You can still decide; this will be flagged in the audit trail and the month report.</p>
</section>`;
}

function totalsTable(
  testId: string,
  heading: string,
  lines: readonly ReleaseTotal[],
  total: { rows: number; amountFen: number },
): SafeHtml {
  const rows = lines.map(
    (line) => html`<tr>
  <td>${line.label} <span class="muted">${line.code}</span></td>
  <td class="num">${displayCount(line.rows)}</td>
  <td class="num">${displayYuan(line.amountFen)}</td>
</tr>`,
  );
  return html`<table id="${testId}" data-testid="${testId}">
<thead><tr><th>${heading}</th><th class="num">笔数 / Rows</th><th class="num">金额（元）/ Amount (yuan)</th></tr></thead>
<tbody>${rows.length > 0 ? rows : noneRow(3)}</tbody>
<tfoot><tr><th>合计 / Total</th><td class="num">${displayCount(total.rows)}</td><td class="num">${displayYuan(total.amountFen)}</td></tr></tfoot>
</table>`;
}

function heldSection(held: ApprovalView['held']): SafeHtml {
  const byCode = held.byCode.map(
    (c) => html`<tr>
  <td>${c.label} <code>${c.code}</code></td>
  <td class="num">${displayCount(c.rows)}</td>
  <td class="num">${displayYuan(c.amountFen)}</td>
</tr>`,
  );
  const shown = held.rowsShown.map(
    (r) => html`<tr>
  <td>${r.batch}</td>
  <td class="num">${r.row}</td>
  <td class="id">${r.idMasked}</td>
  <td>${r.name}</td>
  <td>${r.category}</td>
  <td>${r.town}</td>
  <td class="num">${displayYuan(r.amountFen)}</td>
  <td>${r.codes.map((code, i) => html`${i > 0 ? '、' : ''}${labelOf[code] ?? ''} <code>${code}</code>`)}</td>
</tr>`,
  );
  const omitted =
    held.rowsOmitted > 0
      ? html`<p data-testid="held-rows-omitted">另有 ${displayCount(held.rowsOmitted)} 行未在此显示，详见 findings.csv。 / ${displayCount(held.rowsOmitted)} more not shown; see findings.csv.</p>`
      : html``;
  return html`<h2>2. 暂停发放 / Held out of the release</h2>
<p data-testid="held-summary"><strong>${displayCount(held.rows)}</strong> 笔、合计 <strong>¥${displayYuan(held.amountFen)}</strong> 因阻断性问题暂停发放，不在上述金额中。 / rows totalling ¥${displayYuan(held.amountFen)} are held by blocking findings and are not in the amount above.</p>
<table id="held-by-code" data-testid="held-by-code">
<thead><tr><th>原因 / Reason</th><th class="num">笔数 / Rows</th><th class="num">金额（元）/ Amount (yuan)</th></tr></thead>
<tbody>${byCode.length > 0 ? byCode : noneRow(3)}</tbody>
</table>
<p class="muted">一行可能有多个原因，故各原因的笔数之和可能大于暂停笔数。 / A row can have several reasons, so the counts per reason can add up to more than the rows held.</p>
<table id="held-rows" data-testid="held-rows">
<thead><tr><th>批次 / Batch</th><th class="num">行 / Row</th><th>身份证号 / ID number</th><th>姓名 / Name</th><th>类别 / Category</th><th>镇街 / Town</th><th class="num">金额（元）/ Amount (yuan)</th><th>原因 / Reasons</th></tr></thead>
<tbody>${shown.length > 0 ? shown : noneRow(8)}</tbody>
</table>
${omitted}`;
}

function reviewSection(review: ApprovalView['review']): SafeHtml {
  const rows = review.map(
    (r) =>
      html`<tr><td>${r.label} <code>${r.code}</code></td><td class="num">${displayCount(r.findings)}</td></tr>`,
  );
  return html`<h2>3. 待核查（不暂停发放）/ For review (payments not held)</h2>
<p>以下问题转交经办人员核查，不影响本次发放。 / These findings go to case workers to check; they do not hold any payment.</p>
<table id="review-by-code" data-testid="review-by-code">
<thead><tr><th>问题 / Finding</th><th class="num">条数 / Findings</th></tr></thead>
<tbody>${rows.length > 0 ? rows : noneRow(2)}</tbody>
</table>`;
}

function notReleasedTable(batches: ApprovalView['batchesNotReleased']): SafeHtml {
  const rows = batches.map(
    (b) => html`<tr><td>${b.batch}</td><td><code>${b.status}</code></td><td>${b.detail}</td></tr>`,
  );
  return html`<p>以下批次的文件整体未纳入本次发放（被拒收、处理失败或未上传）。 / The files of these batches are not in this release at all (rejected, failed or missing).</p>
<table id="batches-not-released" data-testid="batches-not-released">
<thead><tr><th>批次 / Batch</th><th>状态 / Status</th><th>说明 / Detail</th></tr></thead>
<tbody>${rows.length > 0 ? rows : noneRow(3)}</tbody>
</table>`;
}

function decisionForm(form: ApprovalPageInput['form'], hash: string, amount: string): SafeHtml {
  return html`<h2 class="no-print">6. 您的决定 / Your decision</h2>
<form method="post" action="${form.action}" id="decision-form" class="panel no-print">
  <input type="hidden" name="token" value="${form.token}">
  <input type="hidden" name="csrf" value="${form.csrf}">
  <input type="hidden" name="content" value="${hash}">
  <label for="reason">驳回理由（驳回时必填）/ Reason (required to reject)</label>
  <textarea id="reason" name="reason" data-testid="reason"></textarea>
  <div class="actions">
    <button type="submit" name="decision" value="APPROVE" class="approve" id="approve" data-testid="approve">批准发放 ¥${amount} / Approve releasing ¥${amount}</button>
    <button type="submit" name="decision" value="REJECT" class="reject" id="reject" data-testid="reject">驳回 / Reject</button>
  </div>
</form>`;
}

function noneRow(columns: number): SafeHtml {
  return html`<tr><td colspan="${columns}" class="muted">无 / None</td></tr>`;
}
