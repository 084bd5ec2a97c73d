import { CASE_STYLE } from './case-labels.ts';
import { html, raw, type SafeHtml } from './html.ts';

/** The report of a bulk import as the view takes it (`CaseImportReport` of `usecases/case-workbook.ts`). */
export interface CaseImportReportView {
  readonly month: string;
  readonly town: string;
  readonly officer: string;
  readonly at: string;
  readonly fileSha256: string;
  readonly fileProblem?: string;
  readonly rows: readonly {
    readonly row: number;
    readonly caseId: string;
    readonly status: 'APPLIED' | 'REFUSED' | 'SKIPPED';
    readonly reasons: readonly string[];
  }[];
  readonly applied: number;
  readonly refused: number;
  readonly skipped: number;
}

const STATUS = {
  APPLIED: '已保存 / applied',
  REFUSED: '未处理 / refused',
  SKIPPED: '未填写 / skipped',
} as const;

/**
 * The report of an uploaded case workbook (issue 11), an HTML fragment the desk embeds, read like
 * a roster's validation report: the counts, then the refused rows first with their sheet row
 * numbers and bilingual reasons, then the others. `data-testid`s: `case-import-report`,
 * `import-applied`, `import-refused`, `import-row` (with `data-row` and `data-status`).
 */
export function caseImportReportFragment(report: CaseImportReportView): SafeHtml {
  const order = { REFUSED: 0, APPLIED: 1, SKIPPED: 2 } as const;
  const rows = report.rows
    .toSorted((a, b) => order[a.status] - order[b.status] || a.row - b.row)
    .map(
      (
        r,
      ) => html`<tr data-testid="import-row" data-row="${r.row}" data-status="${r.status}"${r.status === 'REFUSED' ? html` class="problem"` : ''}>
<td>第 ${r.row} 行 / row ${r.row}</td><td>${r.caseId}</td><td>${STATUS[r.status]}</td>
<td>${r.reasons.length > 0 ? html`<ul>${r.reasons.map((reason) => html`<li>${reason}</li>`)}</ul>` : ''}</td></tr>`,
    );
  return html`${raw(CASE_STYLE)}<section class="cases" data-testid="case-import-report">
<h2>批量导入结果 / Import report · ${report.town} ${report.month}</h2>
<p class="muted">${report.officer} · ${report.at} · SHA-256 ${report.fileSha256}</p>
${report.fileProblem ? html`<p class="problem">${report.fileProblem}</p>` : ''}
<p>已保存 <strong data-testid="import-applied">${report.applied}</strong> 行，未处理 <strong data-testid="import-refused">${report.refused}</strong> 行，未填写 ${report.skipped} 行 / ${report.applied} applied, ${report.refused} refused (nothing of a refused row was applied), ${report.skipped} without an outcome</p>
<table><thead><tr><th>行 / Row</th><th>案件号 / Case</th><th>结果 / Result</th><th>原因 / Reasons</th></tr></thead>
<tbody>${rows}</tbody></table>
</section>`;
}
