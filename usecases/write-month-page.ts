import { createHash } from 'node:crypto';
import { monthPage } from '#schemas/bucket-layout.ts';
import type { OverdueSummary } from '#schemas/overdue-cases.ts';
import { renderMonthPage } from '#views/month-page.ts';
import { writeCasesCsv } from './cases-csv.ts';
import { monthCasesView, overdueSummary, trailingCases, trailingOverdue } from './month-cases-view.ts';
import { monthPageData } from './month-page-data.ts';
import type { AuditTrail, CaseStore, ObjectStore } from './ports.ts';

/**
 * Writes `reports/{month}/report.html`: the month at a glance for a person (contract 4), one
 * self-contained page built from the month's outputs as they are now. With the case table
 * (`deps.cases`) the page has the bureau's view of the cases and `cases.csv` is written beside it.
 */
export async function writeMonthPage(
  input: { month: string },
  deps: { store: ObjectStore; audit: AuditTrail; now: () => string; cases?: CaseStore; actor?: string },
): Promise<{
  month: string;
  reportKey: string;
  state: string;
  casesKey?: string;
  cases?: number;
  /** The overdue cases the page shows, for the bureau's notice (NotifyBureau's `page.overdue`). */
  overdue?: OverdueSummary;
}> {
  const data = await monthPageData(input.month, deps);
  // One listing of the case table for both the page and cases.csv: they show the same cases.
  const trailing = deps.cases ? await trailingCases(input.month, deps.cases) : undefined;
  const overdue = trailing ? await trailingOverdue(trailing, deps) : undefined;
  const html = renderMonthPage(
    trailing && overdue ? { ...data, cases: monthCasesView(trailing, overdue) } : data,
  );
  const key = monthPage.key({ month: input.month });
  await deps.store.put(key, html, 'text/html; charset=utf-8');
  const csv = trailing
    ? await writeCasesCsv(input.month, trailing.at(-1)?.cases ?? [], deps.store)
    : undefined;
  await deps.audit.append({
    month: input.month,
    action: 'MONTH_PAGE_WRITTEN',
    actor: deps.actor ?? 'payguard:anomaly-job',
    at: data.generatedAt,
    contentSha256: createHash('sha256').update(html).digest('hex'),
    subject: key,
    details: {
      state: data.state,
      ...(csv ? { casesCsv: csv.key, cases: csv.rows, casesCsvSha256: csv.sha256 } : {}),
    },
  });
  return {
    month: input.month,
    reportKey: key,
    state: data.state,
    ...(csv ? { casesKey: csv.key, cases: csv.rows } : {}),
    ...(overdue ? { overdue: overdueSummary(overdue.cases, overdue.days) } : {}),
  };
}
