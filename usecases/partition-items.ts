import { partitionIndexes } from '#domain/month-check/partition.ts';
import { mapRunResults, runPartitionItems } from '#schemas/bucket-layout.ts';
import type { ObjectStore } from './ports.ts';

/** Where the month run's distributed Map reads its items and writes its results. */
export interface PartitionMapKeys {
  /** The items its ItemReader reads: a JSON array, one `{ "partition": n }` per partition. */
  readonly itemsKey: string;
  /** The ResultWriter's `Prefix` (no trailing `/`: Step Functions adds `/{mapRunId}/`). */
  readonly resultsPrefix: string;
}

/**
 * Writes the items of the run's partition check (`runPartitionItems`), so that the workflow's
 * state carries two keys whatever the number of partitions, and names where the map run's
 * results go (`mapRunResults`).
 */
export async function writePartitionItems(
  run: { month: string; runId: string; partitionCount: number },
  deps: { store: ObjectStore },
): Promise<PartitionMapKeys> {
  const itemsKey = runPartitionItems.key({ month: run.month, runId: run.runId });
  const items = partitionIndexes(run.partitionCount).map((partition) => ({ partition }));
  await deps.store.put(itemsKey, JSON.stringify(items), 'application/json');
  return {
    itemsKey,
    resultsPrefix: mapRunResults.folder({ month: run.month, runId: run.runId }).replace(/\/$/, ''),
  };
}
