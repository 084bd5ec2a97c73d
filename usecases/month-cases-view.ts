import { caseAge, isOverdue } from '#domain/cases/case-age.ts';
import { caseStatistics } from '#domain/cases/case-statistics.ts';
import { maskIdNumber } from '#domain/id-number.ts';
import { parsePipelineConfig } from '#domain/month-check/pipeline-config.ts';
import { pipelineConfig } from '#schemas/bucket-layout.ts';
import { OVERDUE_LISTED, type OverdueCase, type OverdueSummary } from '#schemas/overdue-cases.ts';
import type { MonthCasesView } from '#views/month-page-cases.ts';
import { inBatches } from './in-batches.ts';
import type { CaseLine, CaseStore, ObjectStore } from './ports.ts';

/** How many months the bureau's month-by-month view reaches back, the report's month included. */
const CASE_HISTORY_MONTHS = 12;

/**
 * Months listed at once: each month's listing is a sequence of pages, one waiting for the last, so
 * a year of a city's cases read one month after another would wait twelve times as long.
 */
const MONTHS_LISTED_AT_ONCE = 4;

/** The `count` months up to `month`, oldest first. */
function trailingMonths(month: string, count: number): string[] {
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
export function overdueCases(cases: readonly CaseLine[], now: string, overdueDays: number): OverdueCase[] {
  return cases
    .filter((c) => isOverdue(c, now, overdueDays))
    .map((c) => ({
      month: c.month,
      town: c.town,
      code: c.code,
      maskedId: maskIdNumber(c.idNumber),
      ageDays: caseAge(c, now),
    }))
    .sort(
      (a, b) =>
        b.ageDays - a.ageDays ||
        a.town.localeCompare(b.town) ||
        a.month.localeCompare(b.month) ||
        a.code.localeCompare(b.code) ||
        a.maskedId.localeCompare(b.maskedId),
    );
}

/**
 * What the bureau's notice says of the overdue cases (`overdue`, the oldest first, as
 * {@link overdueCases} gives them): their count, the count per town, the oldest listed.
 */
export function overdueSummary(overdue: readonly OverdueCase[], days: number): OverdueSummary {
  const perTown = new Map<string, number>();
  for (const c of overdue) perTown.set(c.town, (perTown.get(c.town) ?? 0) + 1);
  return {
    days,
    count: overdue.length,
    perTown: [...perTown.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([town, count]) => ({ town, count })),
    oldest: overdue.slice(0, OVERDUE_LISTED),
  };
}

/** The cases of each of the {@link CASE_HISTORY_MONTHS} months up to `month`, oldest first. */
export type TrailingCases = readonly { readonly month: string; readonly cases: readonly CaseLine[] }[];

/**
 * Lists the cases of the {@link CASE_HISTORY_MONTHS} months up to `month`, once for everything a
 * run of the watch shows of them: the page's view, `cases.csv` (the last month's), the notice's
 * overdue cases.
 */
export async function trailingCases(month: string, cases: CaseStore): Promise<TrailingCases> {
  const months = trailingMonths(month, CASE_HISTORY_MONTHS);
  const listed = new Map<string, CaseLine[]>();
  await inBatches(months, MONTHS_LISTED_AT_ONCE, async (m) => {
    listed.set(m, await cases.listMonthLines(m));
  });
  return months.map((m) => ({ month: m, cases: listed.get(m) ?? [] }));
}

/** Every case of the trailing months, in month order. */
function allCases(trailing: TrailingCases): CaseLine[] {
  // flatMap, not a spread: a month of a province has more cases than a call takes arguments.
  return trailing.flatMap((t) => t.cases);
}

/** The overdue cases of all the trailing months at `now` (a case of an earlier month still open is the more overdue). */
export interface TrailingOverdue {
  readonly now: string;
  /** `caseOverdueDays` of `config/pipeline.json`. */
  readonly days: number;
  readonly cases: readonly OverdueCase[];
}

/** The overdue cases of `trailing` at `deps.now()`, by the limit of `config/pipeline.json`. */
export async function trailingOverdue(
  trailing: TrailingCases,
  deps: { store: ObjectStore; now: () => string },
): Promise<TrailingOverdue> {
  const now = deps.now();
  const days = await caseOverdueDays(deps.store);
  return { now, days, cases: overdueCases(allCases(trailing), now, days) };
}

/**
 * The bureau's view of the cases for the month page (issue 11, item 6): the month's statistics,
 * the trailing months that have cases, and the overdue cases of all of them, as the notice counts
 * them too.
 * @param trailing the cases of the months up to the report's, its own last ({@link trailingCases}).
 * @param overdue the overdue cases of `trailing` ({@link trailingOverdue}).
 * @returns `null` when the month has no case.
 */
export function monthCasesView(trailing: TrailingCases, overdue: TrailingOverdue): MonthCasesView | null {
  const last = trailing.at(-1);
  if (last === undefined || last.cases.length === 0) return null;
  const history = trailing
    .filter((t) => t.cases.length > 0)
    .map((t) => caseStatistics(t.month, t.cases, overdue.now, overdue.days));
  const current = history.at(-1);
  if (current === undefined) return null;
  return { overdueDays: overdue.days, current, history, overdue: overdue.cases };
}
