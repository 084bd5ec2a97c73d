import {
  BLOCK_OUTCOMES,
  CASE_VALUE_LABELS,
  type CaseMoney,
  type CaseOutcomeCode,
  type CaseOutcomeInput,
  type CaseRecord,
  REVIEW_OUTCOMES,
  VISIT_OUTCOMES,
} from '#schemas/case.ts';

/** The outcomes an officer may record for a case: by its kind and, for a finding, its severity. */
export function allowedOutcomes(c: Pick<CaseRecord, 'kind' | 'severity'>): readonly CaseOutcomeCode[] {
  if (c.kind === 'VISIT') return VISIT_OUTCOMES;
  return c.severity === 'BLOCK' ? BLOCK_OUTCOMES : REVIEW_OUTCOMES;
}

/** A recorded outcome applied to a case, or why it cannot be (bilingual reasons). */
export type AppliedOutcome =
  | { readonly ok: true; readonly record: CaseRecord }
  | { readonly ok: false; readonly reasons: readonly string[] };

const NO_MONEY: CaseMoney = { overpaidFen: 0, underpaidFen: 0, wronglyPaidFen: 0, recoveredFen: 0 };

const label = (code: string) => {
  const l = CASE_VALUE_LABELS[code];
  return l ? `${l.zh}（${code}）` : code;
};

/**
 * Closes an open case with what the officer recorded (issue 11, items 3 and 5). Refused, with
 * bilingual reasons, when the case is already closed, the outcome is not one of
 * {@link allowedOutcomes} for the case, or money recovered exceeds the money found over-paid and
 * paid wrongly. The version is raised by one: the store saves it only over the version read.
 */
export function applyOutcome(
  c: CaseRecord,
  input: CaseOutcomeInput,
  officer: string,
  at: string,
): AppliedOutcome {
  const reasons: string[] = [];
  if (c.status === 'CLOSED') {
    reasons.push(
      `案件已于 ${c.closedAt ?? ''} 由 ${c.closedBy ?? ''} 办结 / the case was already closed on ${c.closedAt ?? ''} by ${c.closedBy ?? ''}`,
    );
  }
  const allowed = allowedOutcomes(c);
  if (!allowed.includes(input.outcome)) {
    reasons.push(
      `此案件不能记录结果 ${label(input.outcome)}，可选：${allowed.map(label).join('、')} / outcome ${input.outcome} is not allowed for this case; allowed: ${allowed.join(', ')}`,
    );
  }
  const money = 'money' in input && input.money !== undefined ? input.money : NO_MONEY;
  if (money.recoveredFen > money.overpaidFen + money.wronglyPaidFen) {
    reasons.push(
      '追回金额不能超过多发与错发金额之和 / money recovered cannot exceed the money over-paid and paid wrongly',
    );
  }
  if (reasons.length > 0) return { ok: false, reasons };
  const { recorded: _previous, note: _note, ...rest } = c;
  return {
    ok: true,
    record: {
      ...rest,
      status: 'CLOSED',
      outcome: input.outcome,
      recorded: input,
      money,
      ...(input.note ? { note: input.note } : {}),
      closedAt: at,
      closedBy: officer,
      version: c.version + 1,
    },
  };
}
