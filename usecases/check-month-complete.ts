import { loadMonthConfig } from './load-month-config.ts';
import type { ObjectStore, RunStateStore } from './ports.ts';

/**
 * Whether every expected batch of the month (config `expectedBatches`, else one per town of
 * `reference/towns.csv`) now has an accepted file: then the month run starts by itself.
 */
export async function checkMonthComplete(
  input: { month: string; bucket: string },
  deps: { state: RunStateStore; store: ObjectStore },
): Promise<{ month: string; bucket: string; complete: boolean; missing: string[] }> {
  const { expectedBatches: expected } = await loadMonthConfig(deps.store);
  const batches = await deps.state.listBatches(input.month);
  const accepted = new Set(batches.filter((b) => b.status === 'ACCEPTED').map((b) => b.batch));
  const missing = expected.filter((batch) => !accepted.has(batch));
  return { month: input.month, bucket: input.bucket, complete: missing.length === 0, missing };
}
