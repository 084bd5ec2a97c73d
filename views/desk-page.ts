import type { RosterComparison } from '#domain/desk/roster-comparison.ts';
import { DESK_ROUTES, DESK_UPLOAD_MAX_BYTES } from '#schemas/desk-site-routes.ts';
import { displayYuan } from '#schemas/money.ts';
import { html, page, raw, type SafeHtml } from './html.ts';
import { maskIdLike } from './mask-ids.ts';

/** One upload as the desk lists it. */
export interface DeskUploadRow {
  readonly uploadId: string;
  readonly fileName: string;
  /** When it arrived (ISO 8601). */
  readonly at: string;
  /** ACCEPTED, REJECTED, SUPERSEDED, FAILED, or REGISTERED while it is being checked. */
  readonly status: string;
  readonly validRows?: number;
  readonly invalidRows?: number;
  readonly fileFinding?: string;
}

/** Input of {@link renderDeskPage}. */
export interface DeskPageInput {
  readonly month: string;
  readonly town: string;
  readonly townName?: string;
  readonly officerEmail: string;
  /** Uploads of the month, newest first. */
  readonly uploads: readonly DeskUploadRow[];
  /** This month's accepted roster against the month before's, when both exist. */
  readonly comparison?: { readonly previousMonth: string; readonly result: RosterComparison };
  /** Why there is no comparison, when there is none. */
  readonly noComparison?: string;
  readonly csrf: string;
  /** Nonce of the page's one script (its CSP names it). */
  readonly scriptNonce: string;
  /** Where presigned PUTs go (the CSP's `connect-src`). */
  readonly uploadOrigin: string;
  readonly sessionExpiresAt: string;
}

const STATUS_TEXT: Record<string, string> = {
  ACCEPTED: '已受理 / ACCEPTED',
  REJECTED: '未受理 / REJECTED',
  SUPERSEDED: '已被更新的文件取代 / SUPERSEDED',
  FAILED: '无法校验 / FAILED',
  REGISTERED: '校验中 / checking…',
};

/** The Content-Security-Policy of the desk page: its own script, fetches to itself and the bucket. */
export function deskPageCsp(scriptNonce: string, uploadOrigin: string): string {
  return (
    `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${scriptNonce}'; ` +
    `connect-src 'self' ${uploadOrigin}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`
  );
}

const DESK_STYLE = html`<style>
.desk input[type=file] { max-width: 100%; }
.desk .scroll { overflow-x: auto; }
.desk td, .desk th { word-break: break-word; }
.desk button.primary { background: var(--ok); color: #fff; border: 2px solid var(--ok); }
@media (max-width: 480px) { main { padding: 1rem .75rem 2rem; } h1 { font-size: 1.3rem; } .big { font-size: 1.8rem; } }
</style>`;

function uploadsTable(uploads: readonly DeskUploadRow[]): SafeHtml {
  if (uploads.length === 0) {
    return html`<p data-testid="no-uploads">本月尚无上传。/ No upload this month yet.</p>`;
  }
  const rows = uploads.map(
    (u) => html`<tr data-testid="upload-row" data-upload="${u.uploadId}" data-status="${u.status}">
  <td>${maskIdLike(u.fileName)}<br><span class="muted">${u.at}</span></td>
  <td data-testid="upload-status">${STATUS_TEXT[u.status] ?? u.status}${u.fileFinding ? html`<br><span class="muted">${u.fileFinding}</span>` : ''}</td>
  <td class="num">${u.validRows ?? ''}${u.invalidRows ? html` / <strong>${u.invalidRows}</strong>` : ''}</td>
  <td>${u.status === 'REGISTERED' ? '' : html`<a data-testid="report-link" href="${DESK_ROUTES.report}?upload=${encodeURIComponent(u.uploadId)}">校验报告 / report</a>`}</td>
</tr>`,
  );
  return html`<div class="scroll"><table data-testid="uploads">
<thead><tr><th>文件 / file</th><th>状态 / status</th><th class="num">有效 / 有误<br>valid / errors</th><th></th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

function comparisonSection(input: DeskPageInput): SafeHtml {
  if (input.comparison === undefined) {
    return html`<p data-testid="no-comparison">${input.noComparison ?? ''}</p>`;
  }
  const { previousMonth, result } = input.comparison;
  const listed = (rows: RosterComparison['added'], testid: string) =>
    rows.length === 0
      ? html`<p class="muted">无 / none</p>`
      : html`<div class="scroll"><table data-testid="${testid}"><thead><tr><th>身份证号 / ID</th><th>姓名 / name</th><th>类别 / category</th><th class="num">金额 / amount</th></tr></thead><tbody>${rows.map(
          (r) =>
            html`<tr><td class="id">${r.maskedId}</td><td>${r.name}</td><td>${r.category}</td><td class="num">${displayYuan(r.amountFen)}</td></tr>`,
        )}</tbody></table></div>`;
  const changed =
    result.changed.length === 0
      ? html`<p class="muted">无 / none</p>`
      : html`<div class="scroll"><table data-testid="changed"><thead><tr><th>身份证号 / ID</th><th>姓名 / name</th><th>类别 / category</th><th class="num">上月 / before</th><th class="num">本月 / now</th><th>账户 / account</th></tr></thead><tbody>${result.changed.map(
          (r) =>
            html`<tr><td class="id">${r.maskedId}</td><td>${r.name}</td><td>${r.category}</td><td class="num">${displayYuan(r.amountBeforeFen)}</td><td class="num">${displayYuan(r.amountNowFen)}</td><td>${r.accountChanged ? '已变更 / changed' : ''}</td></tr>`,
        )}</tbody></table></div>`;
  return html`<section data-testid="comparison">
<p>与 ${previousMonth} 相比 / compared with ${previousMonth}: 新增 <strong data-testid="added-count">${result.added.length}</strong> 人 / new,
 减少 <strong data-testid="removed-count">${result.removed.length}</strong> 人 / left,
 变更 <strong data-testid="changed-count">${result.changed.length}</strong> 人 / changed,
 未变 ${result.unchanged} / unchanged.</p>
<h3>新增 / New</h3>${listed(result.added, 'added')}
<h3>减少 / Left</h3>${listed(result.removed, 'removed')}
<h3>金额或账户变更 / Amount or account changed</h3>${changed}
</section>`;
}

const UPLOAD_SCRIPT = `
const form = document.getElementById('upload-form');
const said = document.getElementById('upload-message');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const file = form.elements.file.files[0];
  if (!file) { said.textContent = '请选择文件 / Choose a file'; return; }
  said.textContent = '上传中… / Uploading…';
  const asked = await fetch(form.action, {
    method: 'POST',
    credentials: 'same-origin',
    body: new URLSearchParams({ csrf: form.elements.csrf.value, fileName: file.name, size: String(file.size) }),
  });
  const answer = await asked.json().catch(() => ({ message: 'error' }));
  if (!asked.ok) { said.textContent = answer.message; said.dataset.state = 'refused'; return; }
  const put = await fetch(answer.url, { method: 'PUT', headers: { 'content-type': answer.contentType }, body: file });
  if (!put.ok) { said.textContent = '上传失败 / Upload failed: ' + put.status; said.dataset.state = 'failed'; return; }
  said.textContent = '已上传，正在校验… / Uploaded, being checked…';
  said.dataset.state = 'uploaded';
  setTimeout(() => location.reload(), 1500);
});
`;

/**
 * The town desk of one office for one month: upload a roster (presigned PUT into the bucket),
 * each upload's status with a link to its row-numbered report, and the comparison with the month
 * before. Chinese first, English alongside; fits a 375 px phone. IDs masked.
 */
export function renderDeskPage(input: DeskPageInput): string {
  const town = input.townName ? `${input.townName}（${input.town}）` : input.town;
  const body = html`${DESK_STYLE}<div class="desk">
<header>
  <p class="muted">payguard · 乡镇办事台 / Town desk · <span data-testid="desk-month">${input.month}</span></p>
  <h1 data-testid="desk-town">${town}</h1>
  <p class="muted">${maskIdLike(input.officerEmail)} · 会话有效至 / session until ${input.sessionExpiresAt}</p>
  <p><a data-testid="cases-link" href="${DESK_ROUTES.cases}">本月案件 / This month's cases</a></p>
</header>
<h2>上传本月名册 / Upload this month's roster</h2>
<form id="upload-form" class="panel info" method="post" action="${DESK_ROUTES.upload}">
  <input type="hidden" name="csrf" value="${input.csrf}">
  <label for="file">CSV 或 XLSX，不超过 ${Math.round(DESK_UPLOAD_MAX_BYTES / 1024 / 1024)} MB / CSV or XLSX, at most ${Math.round(DESK_UPLOAD_MAX_BYTES / 1024 / 1024)} MB</label>
  <input id="file" name="file" type="file" accept=".csv,.xlsx" data-testid="upload-file">
  <div class="actions"><button class="primary" type="submit" data-testid="upload-submit">上传 / Upload</button></div>
  <p id="upload-message" data-testid="upload-message" aria-live="polite"></p>
</form>
<h2>本月上传 / Uploads this month</h2>
${uploadsTable(input.uploads)}
<h2>与上月对比 / Compared with last month</h2>
${comparisonSection(input)}
</div>
<script nonce="${input.scriptNonce}">${raw(UPLOAD_SCRIPT)}</script>`;
  return page({
    title: `${input.month} ${input.town} 办事台 / Town desk`,
    body,
    referrer: 'same-origin',
    csp: deskPageCsp(input.scriptNonce, input.uploadOrigin),
  });
}

/** Input of {@link renderDeskOpenPage}. */
export interface DeskOpenPageInput {
  readonly month: string;
  readonly town: string;
  readonly token: string;
  readonly csrf: string;
}

/**
 * What an e-mailed desk link shows: whose desk it opens and one button. Only the button's POST
 * uses the link (a mail scanner's GET changes nothing).
 */
export function renderDeskOpenPage(input: DeskOpenPageInput): string {
  const body = html`<header>
  <p class="muted">payguard · 乡镇办事台 / Town desk · ${input.month}</p>
  <h1>${input.town}</h1>
</header>
<form class="panel info" method="post" action="${DESK_ROUTES.open}">
  <p>此链接只能使用一次，打开后在本浏览器中有效。/ This link works once and opens the desk in this browser.</p>
  <input type="hidden" name="token" value="${input.token}">
  <input type="hidden" name="csrf" value="${input.csrf}">
  <div class="actions"><button class="approve" type="submit" data-testid="open-desk">打开办事台 / Open the desk</button></div>
</form>`;
  return page({ title: `${input.month} ${input.town} 办事台 / Town desk`, body, referrer: 'same-origin' });
}

/** Outcomes the desk reports on a page of their own. */
export type DeskMessageKind =
  | 'INVALID_LINK'
  | 'EXPIRED'
  | 'ALREADY_USED'
  | 'REVOKED'
  | 'NO_SESSION'
  | 'FORBIDDEN'
  | 'NOT_FOUND';

const MESSAGES: Record<DeskMessageKind, { zh: string; en: string }> = {
  INVALID_LINK: { zh: '链接无效。', en: 'This link is not valid.' },
  EXPIRED: {
    zh: '链接已过期，请向民政局申请新链接。',
    en: 'This link has expired; ask the bureau for a new one.',
  },
  ALREADY_USED: {
    zh: '此链接已使用过，不能再次打开。如需重新进入，请申请新链接。',
    en: 'This link was used already and cannot open the desk again; ask for a new link.',
  },
  REVOKED: { zh: '此链接已被撤销。', en: 'This link was revoked.' },
  NO_SESSION: {
    zh: '会话不存在或已结束，请用邮件中的新链接打开办事台。',
    en: 'No desk session (or it ended); open the desk with a new link from your e-mail.',
  },
  FORBIDDEN: { zh: '请求被拒绝。', en: 'The request was refused.' },
  NOT_FOUND: { zh: '未找到。', en: 'Not found.' },
};

/** A refusal of the desk: bilingual, says nothing was changed; its kind in `data-testid="message-kind"`. */
export function renderDeskMessage(kind: DeskMessageKind, detail?: string): string {
  const text = MESSAGES[kind];
  const body = html`<header><p class="muted">payguard · 乡镇办事台 / Town desk</p>
<h1 data-testid="message-title">${text.zh} / ${text.en}</h1></header>
<section class="panel warn"><p>未做任何更改。/ Nothing was changed.</p>${detail ? html`<p data-testid="message-detail">${maskIdLike(detail)}</p>` : ''}</section>
<footer><span data-testid="message-kind">${kind}</span></footer>`;
  return page({ title: `${text.zh} / ${text.en}`, body });
}

/** One upload's readable validation report (as ValidateRoster wrote it: IDs masked). */
export function renderDeskReport(input: {
  month: string;
  town: string;
  fileName: string;
  status: string;
  report: string;
}): string {
  const body = html`<header><p class="muted">payguard · 乡镇办事台 / Town desk · ${input.month} · ${input.town}</p>
<h1>${maskIdLike(input.fileName)}: <span data-testid="report-status">${STATUS_TEXT[input.status] ?? input.status}</span></h1>
<p><a href="${DESK_ROUTES.home}">返回办事台 / Back to the desk</a></p></header>
<pre data-testid="validation-report" style="white-space: pre-wrap; word-break: break-word">${maskIdLike(input.report)}</pre>`;
  return page({ title: `${input.month} ${input.fileName}`, body, referrer: 'same-origin' });
}
