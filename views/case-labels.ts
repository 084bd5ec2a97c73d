import { CASE_VALUE_LABELS, VISIT_CASE_CODE } from '#schemas/case.ts';
import { FINDING_LABELS_ZH } from '#schemas/finding-labels.ts';

/** A finding code (or the visit code) as a town officer reads it: Chinese first. */
export function caseCodeLabel(code: string): string {
  if (code === VISIT_CASE_CODE) return '入户核查 / home visit';
  const zh = (FINDING_LABELS_ZH as Readonly<Record<string, string | undefined>>)[code];
  return zh ? `${zh} / ${code}` : code;
}

/** A value of the outcome vocabulary, Chinese then English (the code itself when unknown). */
export function caseValueLabel(value: string): string {
  const label = CASE_VALUE_LABELS[value];
  return label ? `${label.zh} / ${label.en}` : value;
}

/** Style of the case fragments: phone first (one column, large touch targets), printable. */
export const CASE_STYLE = `<style>
.cases{font:16px/1.5 system-ui,sans-serif;max-width:60rem}
.cases table{border-collapse:collapse;width:100%}
.cases th,.cases td{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}
.cases .overdue{color:#b00020;font-weight:bold}
.cases .closed{color:#555}
.cases .muted{color:#666;font-size:.9em}
.cases label{display:block;margin:.6rem 0 .2rem}
.cases input,.cases select,.cases textarea,.cases button{font:inherit;width:100%;box-sizing:border-box;padding:.5rem;min-height:2.6rem}
.cases button{background:#0b57d0;color:#fff;border:0;border-radius:4px;margin-top:1rem}
.cases .problem{color:#b00020}
@media (min-width:40rem){.cases input,.cases select,.cases textarea,.cases button{width:auto;min-width:16rem}}
@media (max-width:40rem){.cases thead{display:none}.cases tr{display:block;border-bottom:2px solid #ccc;margin-bottom:.5rem}.cases td{display:block;border:0;padding:.15rem .4rem}}
</style>`;
