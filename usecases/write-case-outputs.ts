import type { AuditTrail, CaseStore, ObjectStore } from './ports.ts';
import { writeMonthPage } from './write-month-page.ts';

/**
 * Rewrites the month's `cases.csv` and `report.html` from the cases as officers have left them
 * (issue 11, item 6): what the desk triggers after its changes, or a schedule, so the bureau's
 * view follows the towns' work without waiting for next month's watch.
 * @param input.trigger who asked, as the audit trail names it (e.g. `payguard:desk`).
 */
export async function writeCaseOutputs(
  input: { month: string; trigger?: string },
  deps: { store: ObjectStore; cases: CaseStore; audit: AuditTrail; now: () => string },
): Promise<{ month: string; reportKey: string; casesKey: string; cases: number }> {
  const result = await writeMonthPage(
    { month: input.month },
    { ...deps, actor: input.trigger ?? 'payguard:case-outputs' },
  );
  return {
    month: result.month,
    reportKey: result.reportKey,
    casesKey: result.casesKey ?? '',
    cases: result.cases ?? 0,
  };
}
