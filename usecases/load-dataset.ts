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
import type { ObjectStore } from './ports.ts';

/**
 * What loading needs of a snapshot: a `DatasetSnapshot` or a run manifest's copy of it.
 * `dataset` is a string so a manifest read back from JSON can be passed as is.
 */
export interface StagedDatasetRef {
  readonly dataset: string;
  readonly stagedKey?: string | undefined;
  readonly missing?: boolean | undefined;
}

/** Keeps the records of the people a partition checks, by ID number. */
export type IdFilter = (idNumber: string) => boolean;

function isDatasetName(name: string): name is DatasetName {
  return (DATASET_NAMES as readonly string[]).includes(name);
}

async function readAll(store: ObjectStore, key: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of await store.open(key)) chunks.push(chunk);
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks);
}

/**
 * Reads a staged dataset snapshot back as the records its descriptor maps staged rows to (what
 * the month check rules read), in staging order (source key, then line), keeping only the people
 * `filter` accepts when given (the ID tested is the descriptor's `person` column).
 *
 * A missing snapshot (its file absent) loads as no records, except a required dataset (the
 * registry), whose absence stops the month run.
 * @throws ReferenceDataError when a required dataset's snapshot is missing.
 * @throws Error when the staged file is absent or has another layout.
 * @example const deaths = await loadDataset(snapshot, { store }, { filter: mine });
 */
export async function loadDataset<N extends DatasetName>(
  snapshot: StagedDatasetRef & { readonly dataset: N },
  deps: { store: ObjectStore },
  options: { filter?: IdFilter | undefined } = {},
): Promise<DatasetRecord<N>[]> {
  const descriptor: DatasetDescriptor = DATASETS[snapshot.dataset];
  if (snapshot.missing === true || snapshot.stagedKey === undefined) {
    if (descriptor.presence === 'required' && descriptor.source.kind === 'file') {
      const key = descriptor.source.key;
      throw new ReferenceDataError(`${key} 缺失 / ${key} is missing: no payment can be checked against it`, {
        file: key,
      });
    }
    return [];
  }
  const bytes = await readAll(deps.store, snapshot.stagedKey);
  const filter = options.filter;
  const records: DatasetRecord<N>[] = [];
  for (const batch of readStagedBatches(bytes, descriptor.arrow)) {
    const columns = stagedColumns(batch, descriptor.arrow);
    // The descriptor's mapping of its own layout: the records are the ones `N` names.
    const build = descriptor.record(columns as never) as (i: number) => DatasetRecord<N>;
    if (filter === undefined) {
      for (let i = 0; i < batch.length; i++) records.push(build(i));
      continue;
    }
    const person = columns[descriptor.person] as (i: number) => string;
    for (let i = 0; i < batch.length; i++) if (filter(person(i))) records.push(build(i));
  }
  return records;
}

/**
 * Loads every dataset of a run (a manifest's `datasets`, keyed by dataset name) for the people
 * `filter` accepts. A dataset absent from `datasets` is treated as missing.
 * @throws ReferenceDataError when the registry is missing.
 */
export async function loadDatasetRecords(
  datasets: Readonly<Record<string, StagedDatasetRef>>,
  store: ObjectStore,
  filter?: IdFilter,
): Promise<DatasetRecordLists> {
  const load = (name: DatasetName) => {
    const ref = datasets[name];
    const snapshot =
      ref !== undefined && isDatasetName(ref.dataset) && ref.dataset === name ? ref : undefined;
    return loadDataset({ ...(snapshot ?? { missing: true }), dataset: name }, { store }, { filter });
  };
  const lists = await Promise.all(DATASET_NAMES.map(load));
  return Object.fromEntries(
    DATASET_NAMES.map((name, i) => [name, lists[i]]),
  ) as unknown as DatasetRecordLists;
}
