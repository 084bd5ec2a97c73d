import { loadMonthConfig } from './load-month-config.ts';
import type { ObjectStore, RunStateStore } from './ports.ts';

/**
 * Whether every expected batch of the month (config `expectedBatches`, else the batches that
 * uploaded the month before, see `loadMonthConfig`) now has an accepted file: then the month run
 * starts by itself. With no batch expected (a first month without `expectedBatches`) it never is:
 * nothing says the month is all in, so it is started explicitly.
 */
export async function checkMonthComplete(
  input: { month: string; bucket: string },
  deps: { state: RunStateStore; store: ObjectStore },
): Promise<{ month: string; bucket: string; complete: boolean; missing: string[] }> {
  const { expectedBatches: expected } = await loadMonthConfig(input.month, deps);
  const batches = await deps.state.listBatches(input.month);
  const accepted = new Set(batches.filter((b) => b.status === 'ACCEPTED').map((b) => b.batch));
  const missing = expected.filter((batch) => !accepted.has(batch));
  return {
    month: input.month,
    bucket: input.bucket,
    complete: expected.length > 0 && missing.length === 0,
    missing,
  };
}
