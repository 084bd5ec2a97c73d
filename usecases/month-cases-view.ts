import { caseAge, isOverdue } from '#domain/cases/case-age.ts';
import { caseStatistics } from '#domain/cases/case-statistics.ts';
import { maskIdNumber } from '#domain/id-number.ts';
import { parsePipelineConfig } from '#domain/month-check/pipeline-config.ts';
import { pipelineConfig } from '#schemas/bucket-layout.ts';
import type { MonthCasesView } from '#views/month-page-cases.ts';
import type { CaseStore, ObjectStore } from './ports.ts';

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
 * The bureau's view of the cases for the month page (issue 11, item 6): the month's statistics,
 * the trailing {@link CASE_HISTORY_MONTHS} months that have cases, and the month's overdue cases.
 * @returns `null` when the month has no case.
 */
export async function monthCasesView(
  month: string,
  deps: { store: ObjectStore; cases: CaseStore; now: () => string },
): Promise<MonthCasesView | null> {
  const now = deps.now();
  const overdueDays = await caseOverdueDays(deps.store);
  const history = [];
  let currentCases: Awaited<ReturnType<CaseStore['listMonth']>> = [];
  for (const m of trailingMonths(month, CASE_HISTORY_MONTHS)) {
    const cases = await deps.cases.listMonth(m);
    if (m === month) currentCases = cases;
    if (cases.length > 0 || m === month) history.push(caseStatistics(m, cases, now, overdueDays));
  }
  if (currentCases.length === 0) return null;
  const current = history.at(-1);
  if (current === undefined) return null;
  const overdue = currentCases
    .filter((c) => isOverdue(c, now, overdueDays))
    .map((c) => ({
      caseId: c.caseId,
      town: c.town,
      code: c.code,
      maskedId: maskIdNumber(c.idNumber),
      ageDays: caseAge(c, now),
    }))
    .sort(
      (a, b) => b.ageDays - a.ageDays || a.town.localeCompare(b.town) || a.caseId.localeCompare(b.caseId),
    );
  return { overdueDays, current, history, overdue };
}
