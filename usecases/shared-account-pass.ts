import { tableFromIPC } from 'apache-arrow';
import { partitionOf, shardsOfPartition } from '#domain/month-check/partition.ts';
import { type SharedAccountOfPart, SharedAccountPartTally } from '#domain/month-check/shared-accounts.ts';
import { StagedBatch as StagedRecordBatch } from '#formats/dataset-table.ts';
import type { StagedShards } from '#schemas/staged-shards.ts';
import type { PartitionScope } from './load-dataset.ts';
import type { MonthRunManifest } from './month-run-manifest.ts';
import type { ObjectStore } from './ports.ts';

/** An accepted batch of the month, with its valid rows' accounts staged by account number. */
export interface AccountShardsOfBatch {
  readonly batch: string;
  readonly byAccount: StagedShards;
}

const TWO_32 = 4_294_967_296;

/**
 * The accounts of two or more households among the accounts of one account partition (those whose
 * number hashes to it, `partitionOf`): reads, of every batch in month order, only the shards of
 * its accounts that hold this partition (`shardsOfPartition`), as (row, account, household).
 * Memory grows with the partition, not with the month.
 * @param batches the month's accepted batches, in the order the month reads them.
 * @throws Error when a shard the manifest names is absent.
 */
export async function sharedAccountsOfPart(
  batches: readonly AccountShardsOfBatch[],
  scope: PartitionScope,
  store: ObjectStore,
): Promise<SharedAccountOfPart[]> {
  const tally = new SharedAccountPartTally();
  for (let b = 0; b < batches.length; b++) {
    const { batch, byAccount } = batches[b] as AccountShardsOfBatch;
    const chosen = shardsOfPartition(scope.partition, scope.partitions, byAccount.count);
    for (const s of chosen.shards) {
      const shard = byAccount.shards[s];
      if (shard === undefined || shard.rows === 0) continue;
      const bytes = await store.readBytes(shard.key);
      if (bytes === undefined) throw new Error(`account shard ${shard.key} of batch ${batch} is missing`);
      for (const recordBatch of tableFromIPC(bytes).batches) {
        const columns = new StagedRecordBatch(recordBatch);
        const row = columns.uint32('row');
        const account = columns.text('account_number');
        const household = columns.text('household_id');
        for (let i = 0; i < columns.length; i++) {
          const accountNumber = account(i);
          if (chosen.filter && partitionOf(accountNumber, scope.partitions) !== scope.partition) continue;
          // A shard keeps its batch's row order, and an account's rows are all in one shard.
          tally.add(accountNumber, household(i), b * TWO_32 + row(i));
        }
      }
    }
  }
  return tally.shared();
}

/**
 * The month's accepted batches with their account shards, in the order the month reads them
 * (the run manifest's batch order), as {@link sharedAccountsOfPart} reads them.
 */
export function accountShardsOf(manifest: MonthRunManifest): AccountShardsOfBatch[] {
  return manifest.batches.flatMap((b) =>
    b.status === 'ACCEPTED' && b.shards !== undefined
      ? [{ batch: b.batch, byAccount: b.shards.byAccount }]
      : [],
  );
}
