import { createHash } from 'node:crypto';
import { monthPage } from '#schemas/bucket-layout.ts';
import { renderMonthPage } from '#views/month-page.ts';
import { monthPageData } from './month-page-data.ts';
import type { AuditTrail, ObjectStore } from './ports.ts';

/**
 * Writes `reports/{month}/report.html`: the month at a glance for a person (contract 4), one
 * self-contained page built from the month's outputs as they are now.
 */
export async function writeMonthPage(
  input: { month: string },
  deps: { store: ObjectStore; audit: AuditTrail; now: () => string },
): Promise<{ month: string; reportKey: string; state: string }> {
  const data = await monthPageData(input.month, deps);
  const html = renderMonthPage(data);
  const key = monthPage.key({ month: input.month });
  await deps.store.put(key, html, 'text/html; charset=utf-8');
  await deps.audit.append({
    month: input.month,
    action: 'MONTH_PAGE_WRITTEN',
    actor: 'payguard:anomaly-job',
    at: data.generatedAt,
    contentSha256: createHash('sha256').update(html).digest('hex'),
    subject: key,
    details: { state: data.state },
  });
  return { month: input.month, reportKey: key, state: data.state };
}
