import { createHash } from 'node:crypto';
import { monthPage } from '#schemas/bucket-layout.ts';
import { renderMonthReport } from '#views/month-report-page.ts';
import { monthReportData } from './month-report-data.ts';
import type { AuditTrail, ObjectStore } from './ports.ts';

/**
 * Writes `reports/{month}/report.html`: the month at a glance for a person (contract 4), one
 * self-contained page built from the month's outputs as they are now.
 */
export async function writeMonthPage(
  input: { month: string },
  deps: { store: ObjectStore; audit: AuditTrail; now: () => string },
): Promise<{ month: string; reportKey: string; state: string }> {
  const data = await monthReportData(input.month, deps);
  const html = renderMonthReport(data);
  const key = monthPage.key({ month: input.month });
  await deps.store.put(key, html, 'text/html; charset=utf-8');
  await deps.audit.append({
    month: input.month,
    action: 'MONTH_REPORT_WRITTEN',
    actor: 'payguard:anomaly-job',
    at: data.generatedAt,
    contentSha256: createHash('sha256').update(html).digest('hex'),
    subject: key,
    details: { state: data.state },
  });
  return { month: input.month, reportKey: key, state: data.state };
}
