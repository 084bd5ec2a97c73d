import { createHash } from 'node:crypto';
import { visitCaseId } from '#domain/cases/case-key.ts';
import type { SampleRow } from '#domain/sampling/draw-sample.ts';
import { sampleJson } from '#schemas/bucket-layout.ts';
import { type CaseRecord, type MonthCasesInput, VISIT_CASE_CODE } from '#schemas/case.ts';
import type { SampleRecord } from './draw-month-sample.ts';
import type { AuditTrail, CaseStore, ObjectStore } from './ports.ts';

/** A drawn household's visit case as opened. */
export function visitCaseOf(month: string, row: Omit<SampleRow, 'kind'>, openedAt: string): CaseRecord {
  return {
    caseId: visitCaseId(month, row.town, row.householdId),
    month,
    town: row.town,
    kind: 'VISIT',
    code: VISIT_CASE_CODE,
    idNumber: row.idNumber,
    category: '',
    householdId: row.householdId,
    rank: row.rank,
    detail: row.reason,
    status: 'OPEN',
    money: { overpaidFen: 0, underpaidFen: 0, wronglyPaidFen: 0, recoveredFen: 0 },
    openedAt,
    version: 1,
  };
}

/**
 * Opens a visit case for every household of the month's home-visit sample (`sample.json`, issue
 * 11 item 5) and keeps its numbered replacements waiting: a replacement becomes a case only when a
 * visit of its town is recorded NOT_FOUND, the next one in order (`recordCaseOutcome`).
 * Idempotent. Recorded as `VISIT_CASES_OPENED` with the SHA-256 of `sample.json`.
 */
export async function openVisitCases(
  input: MonthCasesInput,
  deps: { store: ObjectStore; cases: CaseStore; audit: AuditTrail; now: () => string },
): Promise<{ month: string; opened: number; replacements: number }> {
  const key = sampleJson.key({ month: input.month });
  const bytes = await deps.store.readBytes(key);
  if (bytes === undefined) throw new Error(`${key} is missing; DrawSample writes it`);
  const sample = JSON.parse(Buffer.from(bytes).toString('utf8')) as SampleRecord;
  const at = deps.now();
  const visits = sample.rows.filter((r) => r.kind === 'VISIT');
  const replacements = sample.rows.filter((r) => r.kind === 'REPLACEMENT');
  const opened = (
    await deps.cases.openAll(
      input.month,
      visits.map((row) => visitCaseOf(input.month, row, at)),
    )
  ).size;
  await deps.cases.putReplacements(
    replacements.map((row) => ({
      month: input.month,
      town: row.town,
      householdId: row.householdId,
      idNumber: row.idNumber,
      rank: row.rank,
      reason: row.reason,
    })),
  );
  await deps.audit.append({
    month: input.month,
    action: 'VISIT_CASES_OPENED',
    actor: 'payguard:month-watch',
    at,
    contentSha256: createHash('sha256').update(bytes).digest('hex'),
    subject: key,
    details: { opened, visits: visits.length, replacements: replacements.length },
  });
  return { month: input.month, opened, replacements: replacements.length };
}
