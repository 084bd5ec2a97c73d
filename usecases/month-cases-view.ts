import { caseAge, isOverdue } from '#domain/cases/case-age.ts';
import { caseStatistics } from '#domain/cases/case-statistics.ts';
import { maskIdNumber } from '#domain/id-number.ts';
import { parsePipelineConfig } from '#domain/month-check/pipeline-config.ts';
import { pipelineConfig } from '#schemas/bucket-layout.ts';
import type { MonthCasesView, OverdueCase } from '#views/month-page-cases.ts';
import type { CaseRecord, CaseStore, ObjectStore } from './ports.ts';

/** How many months the bureau's month-by-month view reaches back, the report's month included. */
export const CASE_HISTORY_MONTHS = 12;

/** The `count` months up to `month`, oldest first. */
export function trailingMonths(month: string, count: number): string[] {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const index = year * 12 + (m - 1) - (count - 1 - i);
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  });
}

/** `caseOverdueDays` of `config/pipeline.json` (default 15). */
export async function caseOverdueDays(store: ObjectStore): Promise<number> {
  const bytes = await store.readBytes(pipelineConfig.key());
  return parsePipelineConfig(bytes ? Buffer.from(bytes).toString('utf8') : undefined).caseOverdueDays;
}

/**
 * The overdue cases among `cases` (open longer than `overdueDays` at `now`), the oldest first, IDs
 * masked: the one list the month page and the bureau's notice both show.
 */
export function overdueCases(cases: readonly CaseRecord[], now: string, overdueDays: number): OverdueCase[] {
  return cases
    .filter((c) => isOverdue(c, now, overdueDays))
    .map((c) => ({
      caseId: c.caseId,
      month: c.month,
      town: c.town,
      code: c.code,
      maskedId: maskIdNumber(c.idNumber),
      ageDays: caseAge(c, now),
    }))
    .sort(
      (a, b) => b.ageDays - a.ageDays || a.town.localeCompare(b.town) || a.caseId.localeCompare(b.caseId),
    );
}

/**
 * The bureau's view of the cases for the month page (issue 11, item 6): the month's statistics,
 * the trailing {@link CASE_HISTORY_MONTHS} months that have cases, and the overdue cases of all
 * of them (a case of an earlier month still open is the more overdue, as the notice says too).
 * @returns `null` when the month has no case.
 */
export async function monthCasesView(
  month: string,
  deps: { store: ObjectStore; cases: CaseStore; now: () => string },
): Promise<MonthCasesView | null> {
  const now = deps.now();
  const overdueDays = await caseOverdueDays(deps.store);
  const history = [];
  const all: CaseRecord[] = [];
  let currentCases = 0;
  for (const m of trailingMonths(month, CASE_HISTORY_MONTHS)) {
    const cases = await deps.cases.listMonth(m);
    // One by one: a month of a province has more cases than a call takes arguments.
    for (const c of cases) all.push(c);
    if (m === month) currentCases = cases.length;
    if (cases.length > 0 || m === month) history.push(caseStatistics(m, cases, now, overdueDays));
  }
  if (currentCases === 0) return null;
  const current = history.at(-1);
  if (current === undefined) return null;
  return { overdueDays, current, history, overdue: overdueCases(all, now, overdueDays) };
}
