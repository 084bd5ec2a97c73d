import type { CaseRecord } from '#schemas/case.ts';
import { DESK_CSRF_HEADER, DESK_ROUTES } from '#schemas/desk-site-routes.ts';
import { type CaseImportReportView, caseImportReportFragment } from './case-import-report.ts';
import { caseListFragment } from './case-list.ts';
import { caseOutcomeForm } from './case-outcome-form.ts';
import { html, page, raw, type SafeHtml } from './html.ts';

const NAV = html`<p class="no-print"><a href="${DESK_ROUTES.home}">名册 / Rosters</a> · <a href="${DESK_ROUTES.cases}">案件 / Cases</a></p>`;

const IMPORT_SCRIPT = `
const form = document.getElementById('import-form');
const said = document.getElementById('import-message');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const file = form.elements.file.files[0];
  if (!file) { said.textContent = '请选择文件 / Choose a file'; return; }
  said.textContent = '导入中… / Importing…';
  const answer = await fetch(form.action, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', '${DESK_CSRF_HEADER}': form.elements.csrf.value },
    body: file,
  });
  const text = await answer.text();
  document.open();
  document.write(text);
  document.close();
});
`;

/** The Content-Security-Policy of the cases page: its one script, fetches to itself only. */
export function deskCasesCsp(scriptNonce: string): string {
  return `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${scriptNonce}'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;
}

/** Input of {@link renderDeskCasesPage}. */
export interface DeskCasesPageInput {
  readonly month: string;
  readonly town: string;
  readonly cases: readonly CaseRecord[];
  readonly now: string;
  readonly overdueDays: number;
  readonly csrf: string;
  readonly scriptNonce: string;
  /** A case just saved, named above the list. */
  readonly saved?: string;
}

/**
 * The town's cases on the desk: the list (IDs masked), the open cases as an XLSX template to
 * download, and the filled workbook to upload back (its report replaces the page).
 */
export function renderDeskCasesPage(input: DeskCasesPageInput): string {
  const body = html`${NAV}
${input.saved ? html`<p class="panel ok" data-testid="case-saved">已保存 ${input.saved} / saved</p>` : ''}
${caseListFragment({
  month: input.month,
  town: input.town,
  cases: input.cases,
  now: input.now,
  overdueDays: input.overdueDays,
  caseHref: (caseId) => `${DESK_ROUTES.case}?id=${encodeURIComponent(caseId)}`,
})}
<h2>批量办理 / Work cases in Excel</h2>
<p><a data-testid="cases-download" href="${DESK_ROUTES.casesWorkbook}" download>下载未办结案件模板 (XLSX) / Download the open cases (XLSX)</a></p>
<form id="import-form" class="panel info" method="post" action="${DESK_ROUTES.casesImport}">
  <input type="hidden" name="csrf" value="${input.csrf}">
  <label for="import-file">上传填好的模板 / Upload the filled workbook</label>
  <input id="import-file" name="file" type="file" accept=".xlsx" data-testid="import-file">
  <div class="actions"><button class="approve" type="submit" data-testid="import-submit">导入 / Import</button></div>
  <p id="import-message" aria-live="polite"></p>
</form>
<script nonce="${input.scriptNonce}">${raw(IMPORT_SCRIPT)}</script>`;
  return page({
    title: `${input.month} ${input.town} 案件 / cases`,
    body,
    referrer: 'same-origin',
    csp: deskCasesCsp(input.scriptNonce),
  });
}

/** One case with its outcome form (the full ID shown: the officer acts on this person). */
export function renderDeskCasePage(input: {
  readonly month: string;
  readonly town: string;
  readonly case: CaseRecord;
  readonly csrf: string;
  readonly problems?: readonly string[];
  readonly conflict?: boolean;
}): string {
  const conflict: SafeHtml | string = input.conflict
    ? html`<p class="panel warn" data-testid="case-conflict">此案件已被他人更新，下面是最新内容；请核对后重新保存。/ Someone else saved this case first; below is what it holds now. Check it and save again.</p>`
    : '';
  const body = html`${NAV}${conflict}${caseOutcomeForm({
    case: input.case,
    action: DESK_ROUTES.case,
    csrfToken: input.csrf,
    ...(input.problems ? { problems: input.problems } : {}),
  })}`;
  return page({ title: `${input.month} ${input.town} ${input.case.caseId}`, body, referrer: 'same-origin' });
}

/** The report of an uploaded case workbook, as a page of the desk. */
export function renderDeskImportPage(report: CaseImportReportView): string {
  return page({
    title: `${report.month} ${report.town} 导入结果 / import report`,
    body: html`${NAV}${caseImportReportFragment(report)}`,
    referrer: 'same-origin',
  });
}
