import { compareForDesk } from '#domain/cases/case-age.ts';
import { applyOutcome } from '#domain/cases/case-outcome.ts';
import { maskIdNumber } from '#domain/id-number.ts';
import { CaseOutcomeInputSchema, type CaseRecord } from '#schemas/case.ts';
import { outcomeProblems } from './case-outcome-problems.ts';
import { visitCaseOf } from './open-visit-cases.ts';
import type { AuditTrail, CaseStore } from './ports.ts';

/**
 * A town's cases of a month in the order an officer works them: open first (oldest first), then
 * closed. Only the town's own: the store is asked for that town's partition of the month.
 */
export async function listTownCases(
  input: { month: string; town: string },
  deps: { cases: CaseStore },
): Promise<CaseRecord[]> {
  return (await deps.cases.listTown(input.month, input.town)).sort(compareForDesk);
}

/** What recording an outcome did. */
export type RecordCaseOutcomeResult =
  | {
      readonly status: 'saved';
      readonly case: CaseRecord;
      /** The replacement visit now due, after a visit recorded NOT_FOUND (none left: absent). */
      readonly dueVisit?: CaseRecord;
    }
  | {
      /** Another save came first: `current` is the case as it is now; nothing was changed. */
      readonly status: 'conflict';
      readonly current: CaseRecord | undefined;
      readonly reasons: readonly string[];
    }
  | { readonly status: 'invalid'; readonly reasons: readonly string[] }
  | { readonly status: 'not-found' };

/** Input of {@link recordCaseOutcome}. */
export interface RecordCaseOutcomeInput {
  readonly month: string;
  /** The officer's town (from her link): a case of another town is `not-found`. */
  readonly town: string;
  readonly caseId: string;
  /** Who records it, as the audit trail names her. */
  readonly officer: string;
  /** The outcome as posted (parsed with `CaseOutcomeInputSchema`). */
  readonly input: unknown;
  /** The case's version the officer's form showed. */
  readonly expectedVersion: number;
}

const CONFLICT_REASON =
  '此案件已被他人更新，请查看最新内容后重新提交 / the case was changed by someone else since you opened it; review it and submit again';

/**
 * Records an officer's outcome for one case of her town (issue 11, items 3 and 5): validated
 * (`CaseOutcomeInputSchema`, then `applyOutcome`: the outcome must fit the case's kind and
 * severity), saved only over the version she read (a second save of the same version is a
 * `conflict`, never a lost update), and audited (`CASE_OUTCOME_RECORDED`: who, when, what). A
 * REVIEW case confirmed in order leaves a clearance for later months (the memory rule); a visit
 * recorded NOT_FOUND makes the town's next waiting replacement a due visit case, in order.
 */
export async function recordCaseOutcome(
  input: RecordCaseOutcomeInput,
  deps: { cases: CaseStore; audit: AuditTrail; now: () => string },
): Promise<RecordCaseOutcomeResult> {
  const current = await deps.cases.get(input.month, input.town, input.caseId);
  if (current === undefined || current.town !== input.town) return { status: 'not-found' };
  if (current.version !== input.expectedVersion) {
    return { status: 'conflict', current, reasons: [CONFLICT_REASON] };
  }
  const parsed = CaseOutcomeInputSchema.safeParse(input.input);
  if (!parsed.success) return { status: 'invalid', reasons: outcomeProblems(parsed.error) };
  const at = deps.now();
  const applied = applyOutcome(current, parsed.data, input.officer, at);
  if (!applied.ok) return { status: 'invalid', reasons: applied.reasons };
  const saved = await deps.cases.save(applied.record, input.expectedVersion);
  if (saved === 'CONFLICT') {
    return {
      status: 'conflict',
      current: await deps.cases.get(input.month, input.town, input.caseId),
      reasons: [CONFLICT_REASON],
    };
  }
  const record = applied.record;
  await deps.audit.append({
    month: input.month,
    action: 'CASE_OUTCOME_RECORDED',
    actor: input.officer,
    at,
    subject: `case ${record.caseId}`,
    details: {
      town: record.town,
      kind: record.kind,
      code: record.code,
      idNumber: maskIdNumber(record.idNumber),
      outcome: parsed.data,
      version: record.version,
    },
  });
  if (record.outcome === 'CONFIRMED_IN_ORDER' && record.evidenceFingerprint !== undefined) {
    await deps.cases.putClearance({
      code: record.code,
      idNumber: record.idNumber,
      category: record.category,
      evidenceFingerprint: record.evidenceFingerprint,
      month: record.month,
      caseId: record.caseId,
      officer: input.officer,
      at,
    });
  }
  if (record.kind === 'VISIT' && record.outcome === 'NOT_FOUND') {
    const dueVisit = await openNextReplacement(record, deps, at);
    return dueVisit ? { status: 'saved', case: record, dueVisit } : { status: 'saved', case: record };
  }
  return { status: 'saved', case: record };
}

/** Opens the town's first waiting replacement (by rank) that is not a case yet. */
async function openNextReplacement(
  notFound: CaseRecord,
  deps: { cases: CaseStore; audit: AuditTrail },
  at: string,
): Promise<CaseRecord | undefined> {
  const [waiting, cases] = await Promise.all([
    deps.cases.listReplacements(notFound.month, notFound.town),
    deps.cases.listTown(notFound.month, notFound.town),
  ]);
  const visited = new Set(cases.filter((c) => c.kind === 'VISIT').map((c) => c.householdId));
  for (const next of waiting.sort((a, b) => a.rank - b.rank)) {
    if (visited.has(next.householdId)) continue;
    const due = visitCaseOf(notFound.month, next, at);
    if (!(await deps.cases.open(due))) continue;
    await deps.audit.append({
      month: notFound.month,
      action: 'VISIT_REPLACEMENT_DUE',
      actor: 'payguard:desk',
      at,
      subject: `case ${due.caseId}`,
      details: { town: due.town, rank: due.rank, replaces: notFound.caseId },
    });
    return due;
  }
  return undefined;
}
