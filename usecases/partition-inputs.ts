import { type Table, tableFromIPC } from 'apache-arrow';
import { partitionOfBytes } from '#domain/month-check/partition.ts';
import { SharedAccountTally } from '#domain/month-check/shared-accounts.ts';
import { PackedIdMap } from '#domain/packed-id-map.ts';
import { readStagedTable, StagedBatch as StagedRecordBatch } from '#formats/dataset-table.ts';
import { splitStagedTable } from '#formats/staged-table-split.ts';
import { partitionDataset, partitionPayees } from '#schemas/bucket-layout.ts';
import { DATASET_NAMES, DATASETS, type DatasetName } from '#schemas/datasets.ts';
import type { StagedDatasetRef } from './load-dataset.ts';
import type { StagedBatch } from './load-staged-payees.ts';
import type { MonthRunManifest } from './month-run-manifest.ts';
import type { ObjectStore } from './ports.ts';

/**
 * The month run's inputs split by partition, once per run (by `prepareMonthRun`), so that each
 * `checkPartition` reads its own people only — not every staged roster and every dataset again.
 * The work of the checks then grows with the month, not with the month times the partitions.
 *
 * Under the run's `partitions/{partition}/` (`partitionPayees` and `partitionDataset` of the
 * bucket layout):
 * - `payees/{batch}.arrow`: the rows of the batch's staged roster whose ID is in the partition;
 * - `datasets/{dataset}.arrow`: the rows of the dataset whose person (its descriptor's `person`
 *   column) is paid this month in the partition; for a dataset that `checksUnpaid` (the registry:
 *   `MISSING_PAYMENT`), the rows of every person of the partition, paid or not. Rows of people not
 *   paid this month can raise nothing else, so they are left out.
 *
 * Each file has the schema of its source and its rows in source order. A dataset without staged
 * file (a missing register) has no partition files.
 */

/** The rows of one batch's staged roster that fall in `partition`. */
const partitionPayeesKey = (month: string, runId: string, partition: number, batch: string) =>
  partitionPayees.key({ month, runId, partition, batch });

/** The rows of one dataset that `partition` needs. */
const partitionDatasetKey = (month: string, runId: string, partition: number, dataset: DatasetName) =>
  partitionDataset.key({ month, runId, partition, dataset });

/** FNV-1a of every value of a `Utf8` column, in row order over all record batches. */
function hashColumn(table: Table, column: string): Int32Array {
  const hashes = new Int32Array(table.numRows);
  let row = 0;
  for (const batch of table.batches) {
    const data = batch.getChild(column)?.data[0];
    if (data === undefined) throw new Error(`staged roster lacks column ${column}`);
    const offsets = data.valueOffsets as Int32Array;
    const bytes = data.values as Uint8Array;
    for (let i = data.offset; i < data.offset + data.length; i++, row++) {
      let hash = 0x811c9dc5;
      for (let b = offsets[i] as number; b < (offsets[i + 1] as number); b++) {
        hash = Math.imul(hash ^ (bytes[b] as number), 0x01000193);
      }
      hashes[row] = hash;
    }
  }
  return hashes;
}

/** The values found two or more times over all `lists`. */
function repeatedValues(lists: readonly Int32Array[]): Set<number> {
  const all = new Int32Array(lists.reduce((n, l) => n + l.length, 0));
  let at = 0;
  for (const list of lists) {
    all.set(list, at);
    at += list.length;
  }
  all.sort();
  const repeated = new Set<number>();
  for (let i = 1; i < all.length; i++) if (all[i] === all[i - 1]) repeated.add(all[i] as number);
  return repeated;
}

async function readStaged(store: ObjectStore, key: string, what: string): Promise<Uint8Array> {
  const bytes = await store.readBytes(key);
  if (bytes === undefined) throw new Error(`${what} ${key} is missing`);
  return bytes;
}

/**
 * Splits the month's staged rosters and datasets by partition (see the file comment) and, on the
 * same read of the rosters, tallies the accounts shared across households — a whole-month fact.
 *
 * The rosters are read first: each row's partition comes from its ID's bytes, and every paid ID
 * is kept packed in two integers with its partition ({@link PackedIdMap}); the shared-account
 * tally reads only the rows whose account (by hash) is on more than one row. Each dataset is then
 * read once and each row sent to its person's partition straight from the bytes of its ID column,
 * with no string and no record made; the rows are copied buffer by buffer.
 * @returns the accounts used by two or more households (as `sharedAccounts` gives them).
 * @throws Error when a staged roster or dataset file is absent or has another layout, or a staged
 *   roster holds an ID that does not pack.
 */
export async function splitMonthInputs(
  input: {
    readonly month: string;
    readonly runId: string;
    readonly partitionCount: number;
    readonly batches: readonly StagedBatch[];
    readonly datasets: Readonly<Record<string, StagedDatasetRef>>;
    /** The valid rows of the month, to size the ID map (it grows past that). */
    readonly payeeRows?: number;
  },
  deps: { store: ObjectStore },
): Promise<{ sharedAccounts: Map<string, string[]> }> {
  const { month, runId, partitionCount } = input;
  const paid = new PackedIdMap(input.payeeRows ?? 1024);
  const tally = new SharedAccountTally();
  const toPartition = (bytes: Uint8Array, start: number, end: number) =>
    partitionOfBytes(bytes, start, end, partitionCount);

  const rosters: Table[] = [];
  const accountHashes: Int32Array[] = [];
  for (const { batch, stagedKey } of input.batches) {
    const table = tableFromIPC(await readStaged(deps.store, stagedKey, `staged roster of batch ${batch}`));
    rosters.push(table);
    accountHashes.push(hashColumn(table, 'account_number'));
    const parts = splitStagedTable(table, 'id_number', partitionCount, (bytes, start, end) => {
      const partition = toPartition(bytes, start, end);
      // Staged rows passed the ID rule (17 digits and a check character), so they pack; one that
      // did not would lose its partner records silently, hence the stop.
      if (!paid.setBytes(bytes, start, end, partition)) {
        throw new Error(
          `staged roster of batch ${batch} holds an ID that is not 17 digits and a check character`,
        );
      }
      return partition;
    });
    for (let partition = 0; partition < partitionCount; partition++) {
      await deps.store.put(
        partitionPayeesKey(month, runId, partition, batch),
        parts[partition] as Uint8Array,
        'application/vnd.apache.arrow.file',
      );
    }
  }

  // Shared accounts: only an account on two or more rows can be shared, and its rows share a
  // hash. The tally sees the rows whose account hash is on two or more rows (in order, so the
  // accounts come in order of first appearance): a small share of the month, not all of it.
  const repeated = repeatedValues(accountHashes);
  rosters.forEach((table, r) => {
    const hashes = accountHashes[r] as Int32Array;
    let row = 0;
    for (const recordBatch of table.batches) {
      const columns = new StagedRecordBatch(recordBatch);
      const account = columns.text('account_number');
      const household = columns.text('household_id');
      for (let i = 0; i < columns.length; i++, row++) {
        if (repeated.has(hashes[row] as number)) tally.add(account(i), household(i));
      }
    }
  });
  rosters.length = 0;

  const ofPaidPerson = (bytes: Uint8Array, start: number, end: number) => paid.getBytes(bytes, start, end);
  for (const name of DATASET_NAMES) {
    const ref = input.datasets[name];
    if (ref === undefined || ref.missing === true || ref.stagedKey === undefined) continue;
    const descriptor = DATASETS[name];
    const bytes = await readStaged(deps.store, ref.stagedKey, `staged dataset ${name}`);
    const table = readStagedTable(bytes, descriptor.arrow);
    const parts = splitStagedTable(
      table,
      descriptor.person,
      partitionCount,
      descriptor.checksUnpaid === true ? toPartition : ofPaidPerson,
    );
    for (let partition = 0; partition < partitionCount; partition++) {
      await deps.store.put(
        partitionDatasetKey(month, runId, partition, name),
        parts[partition] as Uint8Array,
        'application/vnd.apache.arrow.file',
      );
    }
  }
  return { sharedAccounts: tally.shared() };
}

/** The accepted batches of a run, each pointing at its rows in `partition`. */
export function partitionBatches(manifest: MonthRunManifest, partition: number): StagedBatch[] {
  return manifest.batches
    .filter((b) => b.status === 'ACCEPTED' && b.stagedKey !== undefined)
    .map((b) => ({
      batch: b.batch,
      stagedKey: partitionPayeesKey(manifest.month, manifest.runId, partition, b.batch),
    }));
}

/** The datasets of a run, each pointing at the rows `partition` needs (missing ones stay missing). */
export function partitionDatasets(
  manifest: MonthRunManifest,
  partition: number,
): Record<DatasetName, StagedDatasetRef> {
  const refs = {} as Record<DatasetName, StagedDatasetRef>;
  for (const name of DATASET_NAMES) {
    const ref = manifest.datasets[name];
    refs[name] =
      ref === undefined || ref.missing === true || ref.stagedKey === undefined
        ? { dataset: name, missing: true }
        : { dataset: name, stagedKey: partitionDatasetKey(manifest.month, manifest.runId, partition, name) };
  }
  return refs;
}
