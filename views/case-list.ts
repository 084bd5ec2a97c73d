import { caseAge, isOverdue } from '#domain/cases/case-age.ts';
import { isWithdrawn } from '#domain/cases/case-withdrawal.ts';
import { maskIdNumber } from '#domain/id-number.ts';
import type { CaseRecord } from '#schemas/case.ts';
import { CASE_STYLE, caseCodeLabel, caseValueLabel } from './case-labels.ts';
import { html, raw, type SafeHtml } from './html.ts';

/** Input of {@link caseListFragment}. */
export interface CaseListInput {
  readonly month: string;
  readonly town: string;
  /** The town's cases in the desk's order (`listTownCases`: open first, oldest first). */
  readonly cases: readonly CaseRecord[];
  readonly now: string;
  /** `caseOverdueDays`. */
  readonly overdueDays: number;
  /** The link of one case (the desk's route); the list writes no route of its own. */
  readonly caseHref: (caseId: string) => string;
}

/**
 * The town's case list (issue 11), an HTML fragment the desk embeds: open cases first, each with
 * its age in days and an overdue mark past `caseOverdueDays`, then the closed ones with their
 * outcome; cases withdrawn by a newer check of the month are only counted (`case-withdrawn-count`):
 * they were never the town's to work. IDs masked (the full ID is shown only on the one case being acted on). Stable
 * `data-testid`s: `case-list`, `case-row` (with `data-case-id`), `case-overdue`, `case-open-count`.
 */
export function caseListFragment(input: CaseListInput): SafeHtml {
  const shown = input.cases.filter((c) => !isWithdrawn(c));
  const withdrawn = input.cases.length - shown.length;
  const open = shown.filter((c) => c.status === 'OPEN');
  const overdue = open.filter((c) => isOverdue(c, input.now, input.overdueDays)).length;
  const rows = shown.map((c) => {
    const late = isOverdue(c, input.now, input.overdueDays);
    const age = caseAge(c, input.now);
    const state =
      c.status === 'OPEN'
        ? html`未办结 / open · ${age} 天 / days${late ? html` <span class="overdue" data-testid="case-overdue">逾期 / overdue</span>` : ''}`
        : html`<span class="closed">已办结 / closed · ${caseValueLabel(c.outcome ?? '')}${c.closedBy ? ` · ${c.closedBy}` : ''}</span>${c.note && c.outcome === 'CLEARED_EARLIER' ? html`<br><span class="muted">${c.note}</span>` : ''}`;
    return html`<tr data-testid="case-row" data-case-id="${c.caseId}">
<td><a href="${input.caseHref(c.caseId)}">${c.caseId}</a></td>
<td>${caseCodeLabel(c.code)}${c.severity ? html` <span class="muted">${c.severity}</span>` : ''}</td>
<td>${maskIdNumber(c.idNumber)}${c.category ? html` <span class="muted">${c.category}</span>` : ''}${c.householdId ? html` <span class="muted">${c.householdId}</span>` : ''}</td>
<td>${state}</td>
</tr>`;
  });
  return html`${raw(CASE_STYLE)}<section class="cases" data-testid="case-list">
<h2>${input.town} · ${input.month} 案件 / cases</h2>
<p>未办结 <strong data-testid="case-open-count">${open.length}</strong> 件${overdue > 0 ? html`，其中逾期 <strong class="overdue">${overdue}</strong> 件` : ''} / ${open.length} open${overdue > 0 ? `, ${overdue} overdue (over ${input.overdueDays} days)` : ''}</p>
${withdrawn > 0 ? html`<p class="muted">另有 <strong data-testid="case-withdrawn-count">${withdrawn}</strong> 件经本月复核不再成立，已撤销，无需办理 / ${withdrawn} more withdrawn: the newer check of the month no longer finds them; nothing to do</p>` : ''}
<table><thead><tr><th>案件号 / Case</th><th>问题 / Finding</th><th>身份证号 / ID</th><th>状态 / Status</th></tr></thead>
<tbody>${rows.length > 0 ? rows : html`<tr><td colspan="4" class="muted">本月没有案件 / no cases this month</td></tr>`}</tbody></table>
</section>`;
}
