import { createHash } from 'node:crypto';
import { loadMonthConfig } from './load-month-config.ts';
import type { BatchState, ObjectStore, RunStateStore } from './ports.ts';

/**
 * The name of the month run that the month's batch table starts: the month and a digest of every
 * batch's latest upload and status. Two ingests that find the same table complete (the last two
 * towns accepted at the same moment) start the same name, and Step Functions runs it once: a
 * named start with the same input returns the running execution, and a closed one is
 * `ExecutionAlreadyExists`. Any change of the table (a newer upload, another status) names a new
 * run, which supersedes the earlier one at its approval request.
 */
export function monthRunName(month: string, batches: readonly BatchState[]): string {
  const table = batches
    .map((b) => `${b.batch}\t${b.latestUploadId}\t${b.status}`)
    .sort()
    .join('\n');
  return `${month}-${createHash('sha256').update(table).digest('hex').slice(0, 24)}`;
}

/**
 * Whether every expected batch of the month (config `expectedBatches`, else the batches that
 * uploaded the month before, see `loadMonthConfig`) now has an accepted file: then the month run
 * starts by itself, named by `monthRunName`. With no batch expected (a first month without
 * `expectedBatches`) it never is: nothing says the month is all in, so it is started explicitly.
 */
export async function checkMonthComplete(
  input: { month: string; bucket: string },
  deps: { state: RunStateStore; store: ObjectStore },
): Promise<{ month: string; bucket: string; complete: boolean; missing: string[]; runName: string }> {
  const { expectedBatches: expected } = await loadMonthConfig(input.month, deps);
  const batches = await deps.state.listBatches(input.month);
  const accepted = new Set(batches.filter((b) => b.status === 'ACCEPTED').map((b) => b.batch));
  const missing = expected.filter((batch) => !accepted.has(batch));
  return {
    month: input.month,
    bucket: input.bucket,
    complete: expected.length > 0 && missing.length === 0,
    missing,
    runName: monthRunName(input.month, batches),
  };
}
