import type { z } from 'zod';

/** The fields of an outcome as the officer sees them on the form and in the workbook. */
const FIELD_NAMES: Readonly<Record<string, { zh: string; en: string }>> = {
  outcome: { zh: '处理结果', en: 'outcome' },
  note: { zh: '说明', en: 'note' },
  action: { zh: '处置方式', en: 'action' },
  rootCause: { zh: '原因类别', en: 'root cause' },
  discrepancy: { zh: '不符类型', en: 'discrepancy kind' },
  visitDate: { zh: '走访日期', en: 'visit date' },
  overpaidFen: { zh: '多发金额', en: 'over-paid' },
  underpaidFen: { zh: '漏发金额', en: 'under-paid' },
  wronglyPaidFen: { zh: '错发金额', en: 'paid wrongly' },
  recoveredFen: { zh: '追回金额', en: 'recovered' },
};

/**
 * The problems of an outcome that did not parse, one bilingual reason per field, naming the field
 * as the officer knows it.
 */
export function outcomeProblems(error: z.ZodError): string[] {
  const reasons = new Set<string>();
  for (const issue of error.issues) {
    const field = String(issue.path.at(-1) ?? 'outcome');
    const name = FIELD_NAMES[field] ?? { zh: field, en: field };
    const missing = issue.code === 'invalid_type' && issue.input === undefined;
    const tooShort = issue.code === 'too_small' && field === 'note';
    if (missing || tooShort) {
      reasons.add(`${name.zh}必须填写 / ${name.en} is required`);
    } else if (field === 'outcome' || issue.code === 'invalid_value' || issue.code === 'invalid_union') {
      reasons.add(`${name.zh}不是可选值之一 / ${name.en} is not one of the allowed values`);
    } else if (field === 'visitDate') {
      reasons.add(`${name.zh}须为 YYYY-MM-DD / ${name.en} must be YYYY-MM-DD`);
    } else if (field.endsWith('Fen')) {
      reasons.add(
        `${name.zh}须为不超过两位小数的非负金额 / ${name.en} must be a non-negative amount with at most 2 decimals`,
      );
    } else {
      reasons.add(`${name.zh}无效 / ${name.en} is not valid (${issue.message})`);
    }
  }
  return [...reasons];
}
