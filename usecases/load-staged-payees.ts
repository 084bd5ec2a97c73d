import { tableFromIPC } from 'apache-arrow';
import { partitionOf, shardsOfPartition } from '#domain/month-check/partition.ts';
import type { PayeeRow } from '#domain/month-check/records.ts';
import { StagedBatch as StagedRecordBatch } from '#formats/dataset-table.ts';
import type { CategoryCode } from '#schemas/categories.ts';
import type { StagedShards } from '#schemas/staged-shards.ts';
import type { PartitionScope } from './load-dataset.ts';
import type { ObjectStore } from './ports.ts';

/** A batch's current accepted file, as the month run reads it. */
export interface StagedBatch {
  readonly batch: string;
  readonly stagedKey: string;
}

/**
 * Reads the valid rows of the month's staged rosters (Arrow) back as payee rows, keeping only the
 * rows whose ID passes `keep` (a partition's people), in batch order, then row order.
 *
 * Column by column: each record batch's ID column is decoded once and tested first, and the other
 * columns are read only for the rows kept (no per-value Arrow `get`).
 * @throws Error when a staged roster is missing or lacks a column.
 */
export async function loadStagedPayees(
  batches: readonly StagedBatch[],
  store: ObjectStore,
  keep?: (idNumber: string) => boolean,
): Promise<PayeeRow[]> {
  const payees: PayeeRow[] = [];
  for await (const rows of streamStagedPayees(batches, store, keep)) for (const row of rows) payees.push(row);
  return payees;
}

/**
 * Each record batch of the month's staged rosters, in batch order, read column by column; one
 * staged roster file held at a time. What the payee rows and the sample's household rows are read
 * from.
 * @throws Error naming the staged roster when it is missing or cannot be read.
 */
export async function* stagedRosterBatches(
  batches: readonly StagedBatch[],
  store: ObjectStore,
): AsyncGenerator<{ readonly batch: string; readonly columns: StagedRecordBatch }> {
  for (const { batch, stagedKey } of batches) {
    const bytes = await store.readBytes(stagedKey);
    if (bytes === undefined) throw new Error(`staged roster ${stagedKey} of batch ${batch} is missing`);
    let table: ReturnType<typeof tableFromIPC>;
    try {
      table = tableFromIPC(bytes);
    } catch (error) {
      throw new Error(`staged roster ${stagedKey} (${bytes.length} bytes) cannot be read: ${String(error)}`, {
        cause: error,
      });
    }
    for (const recordBatch of table.batches) yield { batch, columns: new StagedRecordBatch(recordBatch) };
  }
}

/**
 * The rows {@link loadStagedPayees} reads, one Arrow record batch at a time and in the same order,
 * so that only one staged roster file is held at a time and the month's rows never are together.
 * @throws Error when a staged roster is missing or lacks a column.
 */
export async function* streamStagedPayees(
  batches: readonly StagedBatch[],
  store: ObjectStore,
  keep?: (idNumber: string) => boolean,
): AsyncGenerator<PayeeRow[]> {
  for await (const { batch, columns: b } of stagedRosterBatches(batches, store)) {
    const payees: PayeeRow[] = [];
    const row = b.uint32('row');
    const id = b.text('id_number');
    const name = b.text('name');
    const household = b.text('household_id');
    const category = b.text('category');
    const amount = b.int32('amount_fen');
    const town = b.text('town');
    const account = b.text('account_number');
    const holder = b.text('account_holder_id');
    for (let i = 0; i < b.length; i++) {
      const idNumber = id(i);
      if (keep !== undefined && !keep(idNumber)) continue;
      payees.push({
        batch,
        row: row(i),
        idNumber,
        name: name(i),
        householdId: household(i),
        category: category(i) as CategoryCode,
        amountFen: amount(i),
        town: town(i),
        accountNumber: account(i),
        accountHolderId: holder(i),
      });
    }
    yield payees;
  }
}

/** An accepted batch of the month, with its valid rows staged by ID number. */
export interface IdShardsOfBatch {
  readonly batch: string;
  readonly byId: StagedShards;
}

/**
 * The valid rows of the month's people of one run partition, in batch order, then row order:
 * of each batch, the shards of its rows by ID number that hold the partition
 * (`shardsOfPartition`), and of a shard shared with other partitions only this one's rows. The
 * shards of a batch are merged back into row order.
 * @throws Error when a shard the manifest names is missing or lacks a column.
 */
export async function loadPartitionPayees(
  batches: readonly IdShardsOfBatch[],
  scope: PartitionScope,
  store: ObjectStore,
): Promise<PayeeRow[]> {
  const payees: PayeeRow[] = [];
  const ofPartition = (id: string) => partitionOf(id, scope.partitions) === scope.partition;
  for (const { batch, byId } of batches) {
    const chosen = shardsOfPartition(scope.partition, scope.partitions, byId.count);
    const shards = chosen.shards
      .map((s) => byId.shards[s])
      .filter((shard) => shard !== undefined && shard.rows > 0)
      .map((shard) => ({ batch, stagedKey: (shard as { key: string }).key }));
    const rows = await loadStagedPayees(shards, store, chosen.filter ? ofPartition : undefined);
    // Each shard is in row order; rows of several shards are put back in it (rows are distinct).
    if (shards.length > 1) rows.sort((a, b) => a.row - b.row);
    for (const row of rows) payees.push(row);
  }
  return payees;
}
