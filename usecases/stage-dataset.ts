import { createHash } from 'node:crypto';
import { datasetSnapshot } from '#schemas/bucket-layout.ts';
import {
  DATASETS,
  type DatasetFileStaging,
  type DatasetName,
  type DatasetSnapshot,
  DatasetSnapshotSchema,
  isDatasetFileName,
  MAX_SKIPPED_SAMPLES,
} from '#schemas/datasets.ts';
import type { ObjectStore, StoredObject } from './ports.ts';
import { readJsonIfWholeAs } from './read-json.ts';
import {
  DATASET_STAGING_VERSION,
  readFileStaging,
  type StagingDeps,
  stageDatasetFile,
} from './stage-dataset-file.ts';
import { once } from './staging-in-flight.ts';

const datasetSnapshotKey = (dataset: DatasetName, snapshotId: string) =>
  datasetSnapshot.key({ dataset, snapshotId });

const byKey = (a: StoredObject, b: StoredObject) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * The source files of a dataset, sorted by key: the single file when it exists, or every `.csv`
 * file (extension in any case) directly in the partner folder whose name does not start with `.`.
 */
export async function listDatasetSources(name: DatasetName, store: ObjectStore): Promise<StoredObject[]> {
  const source = DATASETS[name].source;
  if (source.kind === 'file') {
    // List the parent folder: a listing of the key itself would also return `registry.csv.bak`.
    const parent = source.key.slice(0, source.key.lastIndexOf('/') + 1);
    return (await store.list(parent)).filter((o) => o.key === source.key);
  }
  return (await store.list(source.prefix))
    .filter((o) => {
      const fileName = o.key.slice(source.prefix.length);
      return o.key.startsWith(source.prefix) && !fileName.includes('/') && isDatasetFileName(fileName);
    })
    .sort(byKey);
}

/** The snapshot id of a dataset's sources: sha256 over the staging version, name and sorted (key, ETag) list. */
export function datasetSnapshotId(name: DatasetName, sources: readonly StoredObject[]): string {
  const identity = JSON.stringify({
    version: DATASET_STAGING_VERSION,
    dataset: name,
    sources: sources.map((s) => [s.key, s.etag]),
  });
  return createHash('sha256').update(identity).digest('hex').slice(0, 16);
}

/**
 * Stages one reference, register or partner dataset (contract 2.3) as a snapshot.
 *
 * Lists the dataset's sources (see {@link listDatasetSources}) and derives the snapshot id from
 * their sorted (key, ETag) list. When `staged/datasets/{name}/{snapshotId}.json` exists it is
 * returned as is: nothing is read again. Otherwise each source file is staged on its own, or its
 * staging reused when it already is (see {@link stageDatasetFile}: a file is read once whatever
 * snapshots list it), and the snapshot is written listing them in key order (after them: a
 * snapshot that exists is complete).
 *
 * - A row whose value cannot be parsed (a date, month or amount, an empty ID, a registry category
 *   or status) is skipped and counted per file; the first {@link MAX_SKIPPED_SAMPLES} of the
 *   dataset are kept with their line and reason. Never fatal. Blank records are neither staged nor counted.
 * - A 0-byte file has no records: it is empty, not lacking columns.
 * - A missing single-file dataset gives `{ missing: true, sources: [], rows: 0 }`, not written,
 *   without staged file. The caller decides: a missing registry stops the month run
 *   (`presence: 'required'`), a missing register means no records. An absent or empty partner
 *   folder is a snapshot with no sources and no rows.
 *
 * @throws ReferenceDataError naming the file and the column when a file lacks a column the rules
 *   need, or naming the file and the reason when it cannot be read (contract 2.3: the month run
 *   stops, nothing is released on an incomplete check).
 */
export async function stageDataset<N extends DatasetName>(
  name: N,
  deps: StagingDeps,
): Promise<DatasetSnapshot<N>> {
  const sources = await listDatasetSources(name, deps.store);
  const snapshotId = datasetSnapshotId(name, sources);
  if (sources.length === 0 && DATASETS[name].source.kind === 'file')
    return missingSnapshot(name, snapshotId, deps);
  // Synchronously after the listing: a staging of the same snapshot that started meanwhile is found.
  return once(deps.store, datasetSnapshotKey(name, snapshotId), async () => {
    const existing = await readSnapshot(name, snapshotId, deps.store);
    if (existing !== undefined) return existing;
    const files: DatasetFileStaging[] = [];
    for (const source of sources) files.push(await stageDatasetFile(name, source, deps));
    return writeSnapshot(name, snapshotId, files, deps);
  });
}

/**
 * The dataset's snapshot once every one of its current source files is staged: read when written,
 * written from the files' stagings when not (nothing is read from the files themselves). What
 * each arrival asks after staging its own file: the last of a dataset's files to be staged writes
 * the snapshot (each file's staging is written before it asks, so of files staged at once at least
 * the last to ask finds them all). `{ waitingFor }` lists the files not staged yet.
 */
export async function snapshotWhenStaged<N extends DatasetName>(
  name: N,
  deps: StagingDeps,
): Promise<DatasetSnapshot<N> | { readonly waitingFor: readonly string[] }> {
  const sources = await listDatasetSources(name, deps.store);
  const snapshotId = datasetSnapshotId(name, sources);
  if (sources.length === 0) return stageDataset(name, deps);
  const existing = await readSnapshot(name, snapshotId, deps.store);
  if (existing !== undefined) return existing;
  const files = await Promise.all(sources.map((source) => readFileStaging(name, source, deps.store)));
  const waitingFor = sources.filter((_, i) => files[i] === undefined).map((s) => s.key);
  if (waitingFor.length > 0) return { waitingFor };
  return writeSnapshot(name, snapshotId, files as DatasetFileStaging[], deps);
}

/** A single-file dataset whose file is absent (see {@link stageDataset}): not written. */
function missingSnapshot<N extends DatasetName>(
  name: N,
  snapshotId: string,
  deps: StagingDeps,
): DatasetSnapshot<N> {
  return {
    dataset: name,
    snapshotId,
    stagedAt: deps.now(),
    sources: [],
    rows: 0,
    skippedRows: 0,
    skippedSamples: [],
    missing: true,
  };
}

/** The written snapshot, or `undefined` when there is none (an unreadable one is staged again). */
async function readSnapshot<N extends DatasetName>(
  name: N,
  snapshotId: string,
  store: ObjectStore,
): Promise<DatasetSnapshot<N> | undefined> {
  const snapshot = await readJsonIfWholeAs(
    store,
    datasetSnapshotKey(name, snapshotId),
    DatasetSnapshotSchema,
    (s) => s.dataset === name && s.snapshotId === snapshotId,
  );
  return snapshot as DatasetSnapshot<N> | undefined;
}

/** Writes the snapshot of the dataset's staged files, in key order, and returns it. */
async function writeSnapshot<N extends DatasetName>(
  name: N,
  snapshotId: string,
  files: readonly DatasetFileStaging[],
  deps: StagingDeps,
): Promise<DatasetSnapshot<N>> {
  const from = files.reduce<string | undefined>(
    (m, f) => (f.dateRange !== undefined && (m === undefined || f.dateRange.from < m) ? f.dateRange.from : m),
    undefined,
  );
  const to = files.reduce<string | undefined>(
    (m, f) => (f.dateRange !== undefined && (m === undefined || f.dateRange.to > m) ? f.dateRange.to : m),
    undefined,
  );
  const snapshot: DatasetSnapshot<N> = {
    dataset: name,
    snapshotId,
    stagedAt: deps.now(),
    sources: files.map((f) => ({ ...f.source, shards: f.shards })),
    rows: files.reduce((n, f) => n + f.source.rows, 0),
    skippedRows: files.reduce((n, f) => n + f.source.skipped, 0),
    skippedSamples: files.flatMap((f) => f.skippedSamples).slice(0, MAX_SKIPPED_SAMPLES),
    ...(from !== undefined && to !== undefined ? { dateRange: { from, to } } : {}),
  };
  await deps.store.put(
    datasetSnapshotKey(name, snapshotId),
    JSON.stringify(snapshot, null, 2),
    'application/json',
  );
  return snapshot;
}
