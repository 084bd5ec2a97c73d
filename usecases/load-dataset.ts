import { partitionOf, partitionOfBytes, shardsOfPartition } from '#domain/month-check/partition.ts';
import { PackedIdSet } from '#domain/packed-id-set.ts';
import { readStagedBatches, stagedColumns } from '#formats/dataset-table.ts';
import type { DatasetDescriptor } from '#schemas/dataset-descriptor.ts';
import {
  DATASET_NAMES,
  DATASETS,
  type DatasetName,
  type DatasetRecord,
  type DatasetRecordLists,
} from '#schemas/datasets.ts';
import { ReferenceDataError } from '#schemas/reference-data-error.ts';
import type { StagedShards } from '#schemas/staged-shards.ts';
import type { ObjectStore } from './ports.ts';

/**
 * What loading needs of a snapshot: a `DatasetSnapshot` or a run manifest's copy of it.
 * `dataset` is a string so a manifest read back from JSON can be passed as is.
 */
export interface StagedDatasetRef {
  readonly dataset: string;
  /** Its source files in key order, each with the shards it was staged into. */
  readonly sources?: readonly { readonly shards: StagedShards }[] | undefined;
  readonly missing?: boolean | undefined;
}

/**
 * Keeps the records of the people a partition checks, by ID number: a test, or the set of their
 * IDs, which is asked from each record's ID bytes without making its string.
 */
export type IdFilter = ((idNumber: string) => boolean) | PackedIdSet;

/** An ID test from the bytes of a staged `Utf8` value: `bytes[start, end)`. */
type BytesFilter = (bytes: Uint8Array, start: number, end: number) => boolean;

/** One partition of a month run: `partition` of `partitions` (a power of two), by `partitionOf`. */
export interface PartitionScope {
  readonly partition: number;
  readonly partitions: number;
}

function isDatasetName(name: string): name is DatasetName {
  return (DATASET_NAMES as readonly string[]).includes(name);
}

async function readAll(store: ObjectStore, key: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of await store.open(key)) chunks.push(chunk);
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks);
}

/**
 * A staged shard's record batches. An unreadable one is named, with the bytes read and the size
 * the bucket lists for it (a shard rewritten while it is read arrives short).
 */
async function stagedBatchesOf(key: string, descriptor: DatasetDescriptor, store: ObjectStore) {
  const bytes = await readAll(store, key);
  try {
    return readStagedBatches(bytes, descriptor.arrow);
  } catch (error) {
    const listed = (await store.list(key)).find((o) => o.key === key)?.size;
    throw new Error(
      `staged shard ${key} cannot be read (${bytes.length} bytes read, ${listed ?? 'no'} bytes listed): ${String(error)}`,
      { cause: error },
    );
  }
}

/** The records read from one shard, with each one's place in staging order (source, then line). */
interface ShardRecords<R> {
  readonly records: R[];
  readonly order: number[];
}

const TWO_32 = 4_294_967_296;

/**
 * The records of several shards in staging order: each shard is in that order already (a shard
 * keeps source order), so the shards are merged by their heads.
 */
function mergeInStagingOrder<R>(parts: readonly ShardRecords<R>[]): R[] {
  if (parts.length === 0) return [];
  if (parts.length === 1) return (parts[0] as ShardRecords<R>).records;
  const total = parts.reduce((n, p) => n + p.records.length, 0);
  const merged: R[] = new Array(total);
  const heads = new Array<number>(parts.length).fill(0);
  for (let out = 0; out < total; out++) {
    let best = -1;
    let bestOrder = Number.POSITIVE_INFINITY;
    for (let p = 0; p < parts.length; p++) {
      const part = parts[p] as ShardRecords<R>;
      const head = heads[p] as number;
      if (head < part.order.length && (part.order[head] as number) < bestOrder) {
        best = p;
        bestOrder = part.order[head] as number;
      }
    }
    const part = parts[best] as ShardRecords<R>;
    merged[out] = part.records[heads[best] as number] as R;
    heads[best] = (heads[best] as number) + 1;
  }
  return merged;
}

/** Whether to keep a record, by its ID: as a string, and from its bytes where that can be said. */
interface KeepTests {
  readonly keep: ((id: string) => boolean) | undefined;
  readonly keepBytes: BytesFilter | undefined;
}

/**
 * The tests of `filter`, and of being in `partition` when given (a shard that also holds other
 * partitions' people). From the ID's bytes when the filter, if any, is a set: most records are
 * dropped without their ID becoming a string (partitionOfBytes and PackedIdSet answer as for the
 * string). `undefined` tests keep everything.
 */
function keepTests(filter: IdFilter | undefined, partition: PartitionScope | undefined): KeepTests {
  const set = filter instanceof PackedIdSet ? filter : undefined;
  const test: ((id: string) => boolean) | undefined =
    filter instanceof PackedIdSet ? (id) => filter.has(id) : filter;
  const ofPartition =
    partition === undefined
      ? undefined
      : (id: string) => partitionOf(id, partition.partitions) === partition.partition;
  const keep: ((id: string) => boolean) | undefined =
    ofPartition === undefined ? test : test === undefined ? ofPartition : (id) => ofPartition(id) && test(id);
  const inPartitionBytes: BytesFilter | undefined =
    partition === undefined
      ? undefined
      : (bytes, start, end) =>
          partitionOfBytes(bytes, start, end, partition.partitions) === partition.partition;
  const keepBytes: BytesFilter | undefined =
    keep === undefined || (filter !== undefined && set === undefined)
      ? undefined
      : set === undefined
        ? inPartitionBytes
        : inPartitionBytes === undefined
          ? (bytes, start, end) => set.hasBytes(bytes, start, end)
          : (bytes, start, end) => inPartitionBytes(bytes, start, end) && set.hasBytes(bytes, start, end);
  return { keep, keepBytes };
}

/**
 * Reads a staged dataset snapshot back as the records its descriptor maps staged rows to (what
 * the month check rules read), in staging order (source key, then line), keeping only the people
 * `filter` accepts when given (the ID tested is the descriptor's `person` column).
 *
 * With `partition`, only the people of that run partition are read: of each source file's shards
 * those that hold them (`shardsOfPartition`, whatever the file's shard count), and of a shard that
 * also holds other partitions' people only the rows of this one's. Without, every shard is read.
 * A file's shards are merged back into file order; the files follow one another in key order.
 *
 * A missing snapshot (no sources) loads as no records, except a required dataset (the registry),
 * whose absence stops the month run.
 * @throws ReferenceDataError when a required dataset's snapshot is missing.
 * @throws Error when a staged shard is absent or has another layout.
 * @example const deaths = await loadDataset(snapshot, { store }, { filter: mine });
 */
export async function loadDataset<N extends DatasetName>(
  snapshot: StagedDatasetRef & { readonly dataset: N },
  deps: { store: ObjectStore },
  options: { filter?: IdFilter | undefined; partition?: PartitionScope | undefined } = {},
): Promise<DatasetRecord<N>[]> {
  const descriptor: DatasetDescriptor = DATASETS[snapshot.dataset];
  if (snapshot.missing === true || snapshot.sources === undefined) {
    if (descriptor.presence === 'required' && descriptor.source.kind === 'file') {
      const key = descriptor.source.key;
      throw new ReferenceDataError(`${key} 缺失 / ${key} is missing: no payment can be checked against it`, {
        file: key,
      });
    }
    return [];
  }
  const scope = options.partition;
  // A shard of only this partition's people is tested by the filter alone; one that also holds
  // other partitions' people, by the partition too.
  const ofShard = keepTests(options.filter, undefined);
  const ofSharedShard = scope === undefined ? ofShard : keepTests(options.filter, scope);
  const records: DatasetRecord<N>[] = [];
  for (const { shards } of snapshot.sources) {
    const chosen =
      scope === undefined
        ? { shards: shards.shards.map((_, s) => s), filter: false }
        : shardsOfPartition(scope.partition, scope.partitions, shards.count);
    const { keep, keepBytes } = chosen.filter ? ofSharedShard : ofShard;
    const parts: ShardRecords<DatasetRecord<N>>[] = [];
    for (const s of chosen.shards) {
      const shard = shards.shards[s];
      if (shard === undefined || shard.rows === 0) continue;
      const kept: DatasetRecord<N>[] = [];
      const order: number[] = [];
      for (const batch of await stagedBatchesOf(shard.key, descriptor, deps.store)) {
        const columns = stagedColumns(batch, descriptor.arrow);
        // The descriptor's mapping of its own layout: the records are the ones `N` names.
        const build = descriptor.record(columns as never) as (i: number) => DatasetRecord<N>;
        const source = batch.code('source');
        const line = batch.uint32('line');
        const ids = keepBytes === undefined ? undefined : batch.utf8Bytes(descriptor.person);
        if (ids !== undefined && keepBytes !== undefined) {
          const { bytes, offsets, first } = ids;
          for (let i = 0; i < batch.length; i++) {
            if (!keepBytes(bytes, offsets[first + i] as number, offsets[first + i + 1] as number)) continue;
            kept.push(build(i));
            order.push(source(i) * TWO_32 + line(i));
          }
          continue;
        }
        const person = keep === undefined ? undefined : (columns[descriptor.person] as (i: number) => string);
        for (let i = 0; i < batch.length; i++) {
          if (keep !== undefined && !keep((person as (i: number) => string)(i))) continue;
          kept.push(build(i));
          order.push(source(i) * TWO_32 + line(i));
        }
      }
      parts.push({ records: kept, order });
    }
    for (const record of mergeInStagingOrder(parts)) records.push(record);
  }
  return records;
}

/**
 * Loads every dataset of a run (a manifest's `datasets`, keyed by dataset name), of one partition
 * when given, for the people each dataset's filter accepts. A dataset absent from `datasets` is treated as missing.
 * @throws ReferenceDataError when the registry is missing.
 */
export async function loadDatasetRecords(
  datasets: Readonly<Record<string, StagedDatasetRef>>,
  store: ObjectStore,
  options: {
    /** The people to keep of each dataset (all when it gives none). */
    readonly filterOf?: ((name: DatasetName) => IdFilter | undefined) | undefined;
    readonly partition?: PartitionScope | undefined;
  } = {},
): Promise<DatasetRecordLists> {
  const load = (name: DatasetName) => {
    const ref = datasets[name];
    const snapshot =
      ref !== undefined && isDatasetName(ref.dataset) && ref.dataset === name ? ref : undefined;
    const filter = options.filterOf?.(name);
    return loadDataset(
      { ...(snapshot ?? { missing: true }), dataset: name },
      { store },
      { filter, partition: options.partition },
    );
  };
  const lists = await Promise.all(DATASET_NAMES.map(load));
  return Object.fromEntries(
    DATASET_NAMES.map((name, i) => [name, lists[i]]),
  ) as unknown as DatasetRecordLists;
}
