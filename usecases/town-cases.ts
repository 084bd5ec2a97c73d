import { compareForDesk } from '#domain/cases/case-age.ts';
import { applyOutcome } from '#domain/cases/case-outcome.ts';
import { maskIdNumber } from '#domain/id-number.ts';
import { type CaseOutcomeInput, CaseOutcomeInputSchema, type CaseRecord } from '#schemas/case.ts';
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

/** A decision as the audit trail records it: the case, what was recorded, the case's new version. */
export interface CaseDecision {
  readonly caseId: string;
  readonly town: string;
  readonly kind: CaseRecord['kind'];
  readonly code: string;
  /** Masked, as everything in the trail. */
  readonly idNumber: string;
  /** The outcome as the officer gave it, parsed (note and money fields included). */
  readonly outcome: CaseOutcomeInput;
  readonly version: number;
}

/** What {@link saveCaseOutcome} did: {@link RecordCaseOutcomeResult} before the audit and follow-ups. */
export type SaveCaseOutcomeResult =
  | {
      readonly status: 'saved';
      readonly case: CaseRecord;
      readonly decision: CaseDecision;
      readonly at: string;
    }
  | Exclude<RecordCaseOutcomeResult, { status: 'saved' }>;

/**
 * The checks and the conditional save of {@link recordCaseOutcome} over the case as it was read
 * (`current`), without the audit entry and the follow-ups ({@link followUpCaseOutcome}): the bulk
 * import saves many cases at once and audits their decisions together.
 */
export async function saveCaseOutcome(
  current: CaseRecord | undefined,
  input: RecordCaseOutcomeInput,
  deps: { cases: CaseStore; now: () => string },
): Promise<SaveCaseOutcomeResult> {
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
  const decision: CaseDecision = {
    caseId: record.caseId,
    town: record.town,
    kind: record.kind,
    code: record.code,
    idNumber: maskIdNumber(record.idNumber),
    outcome: parsed.data,
    version: record.version,
  };
  return { status: 'saved', case: record, decision, at };
}

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
  const saved = await saveCaseOutcome(current, input, deps);
  if (saved.status !== 'saved') return saved;
  const { case: record, decision, at } = saved;
  const { caseId: _id, ...details } = decision;
  await deps.audit.append({
    month: input.month,
    action: 'CASE_OUTCOME_RECORDED',
    actor: input.officer,
    at,
    subject: `case ${record.caseId}`,
    details,
  });
  await keepClearance(record, input.officer, at, deps);
  const dueVisit = await followUpCaseOutcome(record, at, deps);
  return dueVisit ? { status: 'saved', case: record, dueVisit } : { status: 'saved', case: record };
}

/**
 * A REVIEW case confirmed in order leaves a clearance for later months (the memory rule). Only
 * after the case's save: a refused save clears nothing.
 */
export async function keepClearance(
  record: CaseRecord,
  officer: string,
  at: string,
  deps: { cases: CaseStore },
): Promise<void> {
  if (record.outcome !== 'CONFIRMED_IN_ORDER' || record.evidenceFingerprint === undefined) return;
  await deps.cases.putClearance({
    code: record.code,
    idNumber: record.idNumber,
    category: record.category,
    evidenceFingerprint: record.evidenceFingerprint,
    month: record.month,
    caseId: record.caseId,
    officer,
    at,
  });
}

/**
 * What a saved outcome makes due: a visit recorded NOT_FOUND makes the town's next waiting
 * replacement a visit case (audited `VISIT_REPLACEMENT_DUE`). Run after the decision is in the
 * trail, one saved case after the other, so that replacements follow the order of the decisions.
 * @returns the replacement visit now due, if any.
 */
export async function followUpCaseOutcome(
  record: CaseRecord,
  at: string,
  deps: { cases: CaseStore; audit: AuditTrail },
): Promise<CaseRecord | undefined> {
  if (record.kind !== 'VISIT' || record.outcome !== 'NOT_FOUND') return undefined;
  return openNextReplacement(record, deps, at);
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
