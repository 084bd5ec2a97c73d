import { parseCaseAmount } from '#schemas/money.ts';

/**
 * An outcome as text fields — posted by the desk's outcome form (`views/case-outcome-form.ts`
 * names them so) or read from a row of the case workbook; money in yuan.
 */
export interface CaseOutcomeFields {
  readonly outcome?: string;
  readonly action?: string;
  readonly rootCause?: string;
  readonly discrepancy?: string;
  readonly visitDate?: string;
  readonly note?: string;
  readonly overpaid?: string;
  readonly underpaid?: string;
  readonly wronglyPaid?: string;
  readonly recovered?: string;
}

const MONEY = [
  ['overpaid', 'overpaidFen', '多发', 'over-paid'],
  ['underpaid', 'underpaidFen', '漏发', 'under-paid'],
  ['wronglyPaid', 'wronglyPaidFen', '错发', 'paid wrongly'],
  ['recovered', 'recoveredFen', '追回', 'recovered'],
] as const;

/**
 * The outcome `recordCaseOutcome` takes (its `input`, validated there) from text fields: empty
 * fields are left out, yuan become fen (`parseCaseAmount`); or the money problems, bilingual.
 * @example caseOutcomeFromFields({ outcome: 'STOPPED', overpaid: '1180', recovered: '' })
 * // { input: { outcome: 'STOPPED', money: { overpaidFen: 118000, underpaidFen: 0, wronglyPaidFen: 0, recoveredFen: 0 } } }
 */
export function caseOutcomeFromFields(
  fields: CaseOutcomeFields,
): { readonly input: unknown } | { readonly reasons: readonly string[] } {
  const reasons: string[] = [];
  const money: Record<string, number> = {};
  for (const [field, key, zh, en] of MONEY) {
    const parsed = parseCaseAmount((fields[field] ?? '').trim());
    if (parsed.ok) money[key] = parsed.fen;
    else reasons.push(`${zh} / ${en}: ${parsed.reason}`);
  }
  if (reasons.length > 0) return { reasons };
  const text = (key: keyof CaseOutcomeFields, value: string | undefined) => {
    const v = (value ?? '').trim();
    return v === '' ? {} : { [key]: v };
  };
  return {
    input: {
      ...text('outcome', fields.outcome),
      ...text('action', fields.action),
      ...text('rootCause', fields.rootCause),
      ...text('discrepancy', fields.discrepancy),
      ...text('visitDate', fields.visitDate),
      ...text('note', fields.note),
      ...(Object.values(money).some((fen) => fen > 0) ? { money } : {}),
    },
  };
}
