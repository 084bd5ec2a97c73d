import { allowedOutcomes } from '#domain/cases/case-outcome.ts';
import {
  type CaseRecord,
  DiscrepancyKindSchema,
  ProblemActionSchema,
  RootCauseSchema,
} from '#schemas/case.ts';
import { formatFen } from '#schemas/money.ts';
import { CASE_STYLE, caseCodeLabel, caseValueLabel } from './case-labels.ts';
import { html, raw, type SafeHtml } from './html.ts';

/** Input of {@link caseOutcomeForm}. */
export interface CaseOutcomeFormInput {
  readonly case: CaseRecord;
  /** Where the form posts (the desk's route). */
  readonly action: string;
  /** The desk's CSRF token, bound to the officer's session; posted as `csrf`. */
  readonly csrfToken: string;
  /** Reasons of a refused save to show above the form (bilingual). */
  readonly problems?: readonly string[];
}

const options = (values: readonly string[], empty: string) =>
  html`<option value="">${empty}</option>${values.map((v) => html`<option value="${v}">${caseValueLabel(v)}</option>`)}`;

/**
 * One case and the form to record its outcome (issue 11), an HTML fragment the desk embeds. This is
 * the one place the ID is shown whole: the officer acts on this person. The form posts
 * `csrf`, `caseId`, `expectedVersion`, `outcome`, `action`, `rootCause`, `discrepancy`,
 * `visitDate`, `note` and the money fields `overpaid`, `underpaid`, `wronglyPaid`, `recovered`
 * (yuan; `caseOutcomeFromFields` of `usecases/case-outcome-fields.ts` reads them) to `action`. Only the outcomes allowed for the
 * case are offered. A closed case shows its outcome and no form. `data-testid`s: `case-detail`,
 * `case-outcome-form`, `case-problems`.
 */
export function caseOutcomeForm(input: CaseOutcomeFormInput): SafeHtml {
  const c = input.case;
  const detail = html`<dl data-testid="case-detail">
<dt>案件号 / Case</dt><dd>${c.caseId}</dd>
<dt>问题 / Finding</dt><dd>${caseCodeLabel(c.code)}${c.severity ? ` (${c.severity})` : ''}</dd>
<dt>身份证号 / ID number</dt><dd data-testid="case-id-number">${c.idNumber}</dd>
${c.category ? html`<dt>救助类别 / Category</dt><dd>${c.category}</dd>` : ''}
${c.householdId ? html`<dt>户号 / Household</dt><dd>${c.householdId}</dd>` : ''}
${c.batch ? html`<dt>名册 / Roster</dt><dd>${c.batch}${c.row ? ` 第 ${c.row} 行 / row ${c.row}` : ''}</dd>` : ''}
<dt>说明 / Detail</dt><dd>${c.detail}</dd>
<dt>立案 / Opened</dt><dd>${c.openedAt}</dd>
</dl>`;
  const problems =
    input.problems && input.problems.length > 0
      ? html`<ul class="problem" data-testid="case-problems">${input.problems.map((p) => html`<li>${p}</li>`)}</ul>`
      : '';
  if (c.status === 'CLOSED') {
    return html`${raw(CASE_STYLE)}<section class="cases">${detail}${problems}
<p class="closed">已办结 / closed: ${caseValueLabel(c.outcome ?? '')} · ${c.closedBy ?? ''} · ${c.closedAt ?? ''}</p>
${c.note ? html`<p>${c.note}</p>` : ''}
<p>多发 / over-paid ${formatFen(c.money.overpaidFen)} · 漏发 / under-paid ${formatFen(c.money.underpaidFen)} · 错发 / paid wrongly ${formatFen(c.money.wronglyPaidFen)} · 追回 / recovered ${formatFen(c.money.recoveredFen)}</p>
</section>`;
  }
  const visit = c.kind === 'VISIT';
  const money = html`<fieldset><legend>金额（元）/ Money (yuan)</legend>
<label for="overpaid">多发 / over-paid</label><input id="overpaid" name="overpaid" inputmode="decimal" pattern="\\d+(\\.\\d{1,2})?">
<label for="underpaid">漏发 / under-paid</label><input id="underpaid" name="underpaid" inputmode="decimal" pattern="\\d+(\\.\\d{1,2})?">
<label for="wronglyPaid">错发 / paid wrongly</label><input id="wronglyPaid" name="wronglyPaid" inputmode="decimal" pattern="\\d+(\\.\\d{1,2})?">
<label for="recovered">追回 / recovered</label><input id="recovered" name="recovered" inputmode="decimal" pattern="\\d+(\\.\\d{1,2})?">
</fieldset>`;
  return html`${raw(CASE_STYLE)}<section class="cases">${detail}${problems}
<form method="post" action="${input.action}" data-testid="case-outcome-form">
<input type="hidden" name="csrf" value="${input.csrfToken}">
<input type="hidden" name="caseId" value="${c.caseId}">
<input type="hidden" name="expectedVersion" value="${c.version}">
<label for="outcome">处理结果 / Outcome</label>
<select id="outcome" name="outcome" required>${options(allowedOutcomes(c), '请选择 / choose')}</select>
${
  visit
    ? html`<label for="visitDate">走访日期 / Visit date</label><input id="visitDate" name="visitDate" type="date" required>
<label for="discrepancy">不符类型（情况不符时）/ Discrepancy kind (for a discrepancy)</label>
<select id="discrepancy" name="discrepancy">${options(DiscrepancyKindSchema.options, '—')}</select>`
    : c.severity === 'REVIEW'
      ? html`<label for="action">处置方式（确认存在问题时）/ Action (problem confirmed)</label>
<select id="action" name="action">${options(ProblemActionSchema.options, '—')}</select>
<label for="rootCause">原因类别（确认存在问题时）/ Root cause (problem confirmed)</label>
<select id="rootCause" name="rootCause">${options(RootCauseSchema.options, '—')}</select>`
      : ''
}
<label for="note">说明（核实无误时必填）/ Note (required when confirmed in order)</label>
<textarea id="note" name="note" maxlength="500" rows="3"></textarea>
${money}
<button type="submit">保存 / Save</button>
</form>
</section>`;
}
