import type { ObjectStore } from './ports.ts';
import { monthReportKeys } from './write-month-report.ts';

/**
 * Sets top-level keys of the month's `summary.json` (the approval record, the release, the
 * close-out state), leaving the others as the month report wrote them. No summary, no change.
 */
export async function patchMonthSummary(
  store: ObjectStore,
  month: string,
  patch: Record<string, unknown>,
): Promise<void> {
  const key = monthReportKeys(month).summary;
  const bytes = await store.readBytes(key);
  if (bytes === undefined) return;
  const summary = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
  await store.put(key, `${JSON.stringify({ ...summary, ...patch }, null, 2)}\n`, 'application/json');
}
