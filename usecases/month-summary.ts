import { monthSummary } from '#schemas/bucket-layout.ts';
import type { ObjectStore } from './ports.ts';

/**
 * Sets top-level keys of the month's `summary.json` (the approval record, the release, the
 * close-out state), leaving the others as WriteMonthFindings wrote them. No summary, no change.
 */
export async function patchMonthSummary(
  store: ObjectStore,
  month: string,
  patch: Record<string, unknown>,
): Promise<void> {
  const key = monthSummary.key({ month });
  const bytes = await store.readBytes(key);
  if (bytes === undefined) return;
  const summary = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
  await store.put(key, `${JSON.stringify({ ...summary, ...patch }, null, 2)}\n`, 'application/json');
}
