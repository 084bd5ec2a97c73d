import { partitionIndexes } from '#domain/month-check/partition.ts';
import {
  accountMapRunResults,
  mapRunResults,
  runAccountPartitionItems,
  runPartitionItems,
} from '#schemas/bucket-layout.ts';
import type { ObjectStore } from './ports.ts';

/** Where the month run's distributed Maps read their items and write their results. */
export interface PartitionMapKeys {
  /** The items the partition check's ItemReader reads: a JSON array, one `{ "partition": n }` per partition. */
  readonly itemsKey: string;
  /** Its ResultWriter's `Prefix` (no trailing `/`: Step Functions adds `/{mapRunId}/`). */
  readonly resultsPrefix: string;
  /** The items of the shared-account pass: one `{ "partition": n }` per account partition. */
  readonly accountItemsKey: string;
  /** The shared-account pass's ResultWriter `Prefix`. */
  readonly accountResultsPrefix: string;
}

const prefixOf = (folder: string) => folder.replace(/\/$/, '');

/**
 * Writes the items of the run's partition check (`runPartitionItems`) and of its shared-account
 * pass (`runAccountPartitionItems`, as many account partitions as partitions), so that the
 * workflow's state carries a few keys whatever the number of partitions, and names where the map
 * runs' results go (`mapRunResults`, `accountMapRunResults`).
 */
export async function writePartitionItems(
  run: { month: string; runId: string; partitionCount: number },
  deps: { store: ObjectStore },
): Promise<PartitionMapKeys> {
  const scope = { month: run.month, runId: run.runId };
  const items = JSON.stringify(partitionIndexes(run.partitionCount).map((partition) => ({ partition })));
  const itemsKey = runPartitionItems.key(scope);
  const accountItemsKey = runAccountPartitionItems.key(scope);
  await deps.store.put(accountItemsKey, items, 'application/json');
  await deps.store.put(itemsKey, items, 'application/json');
  return {
    itemsKey,
    resultsPrefix: prefixOf(mapRunResults.folder(scope)),
    accountItemsKey,
    accountResultsPrefix: prefixOf(accountMapRunResults.folder(scope)),
  };
}
