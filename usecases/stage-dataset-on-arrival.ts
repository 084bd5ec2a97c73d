import { datasetOfKey } from '#schemas/datasets.ts';
import type { AuditTrail, ObjectStore, StoredObject } from './ports.ts';
import { listDatasetSources, StagingSuperseded, stageDataset } from './stage-dataset.ts';

/**
 * The dataset's last-written source when it was written after `key` (a later `lastModified`, or
 * the same one and a later key): its own arrival stages the dataset, this file included.
 * `undefined` when `key` is the last, is not listed, or the store gives no times.
 */
export function laterSource(sources: readonly StoredObject[], key: string): StoredObject | undefined {
  const order = (s: StoredObject) => `${s.lastModified ?? ''}\u0000${s.key}`;
  const own = sources.find((s) => s.key === key);
  if (own?.lastModified === undefined) return undefined;
  let last = own;
  for (const s of sources) if (s.lastModified !== undefined && order(s) > order(last)) last = s;
  return last === own ? undefined : last;
}

/**
 * Stages the dataset a newly arrived file belongs to (every file of the dataset, as one snapshot)
 * and audits it. Files of no dataset (e.g. `reference/towns.csv`, read directly) are left alone.
 *
 * When another file of the dataset was written after this one, its own arrival stages the
 * dataset with both: this one defers to it (audited as `DATASET_STAGING_DEFERRED`) instead of
 * staging a set about to be outdated, or the same set twice at once in two functions. (Nine
 * social-insurance files landing together otherwise staged the dataset up to nine times; a
 * province's month of 20M rows takes minutes.) A file written while this one's staging runs
 * makes it stop the same way, before the next file or the writing of the shards. Nothing is lost
 * if the later staging fails: the month run stages whatever snapshot is missing.
 */
export async function stageDatasetOnArrival(
  input: { key: string; time: string },
  deps: { store: ObjectStore; audit: AuditTrail; now: () => string },
): Promise<{
  dataset: string | null;
  snapshotId?: string;
  rows?: number;
  skippedRows?: number;
  deferredTo?: string;
}> {
  const dataset = datasetOfKey(input.key);
  if (dataset === undefined) return { dataset: null };
  const laterNow = async () => laterSource(await listDatasetSources(dataset, deps.store), input.key);
  const defer = async (later: StoredObject, whileStaging: boolean) => {
    await deps.audit.append({
      month: input.time.slice(0, 7),
      action: 'DATASET_STAGING_DEFERRED',
      actor: 'payguard:dataset-ingest',
      at: deps.now(),
      subject: input.key,
      details: { dataset, deferredTo: later.key, laterWritten: later.lastModified, whileStaging },
    });
    return { dataset, deferredTo: later.key };
  };
  const later = await laterNow();
  if (later !== undefined) return defer(later, false);
  let snapshot: Awaited<ReturnType<typeof stageDataset>>;
  let laterMeanwhile: StoredObject | undefined;
  try {
    snapshot = await stageDataset(dataset, {
      store: deps.store,
      now: deps.now,
      stillWanted: async () => {
        laterMeanwhile = await laterNow();
        return laterMeanwhile === undefined;
      },
    });
  } catch (error) {
    if (error instanceof StagingSuperseded && laterMeanwhile !== undefined)
      return defer(laterMeanwhile, true);
    throw error;
  }
  await deps.audit.append({
    month: input.time.slice(0, 7),
    action: 'DATASET_STAGED',
    actor: 'payguard:dataset-ingest',
    at: deps.now(),
    subject: input.key,
    details: {
      dataset,
      snapshotId: snapshot.snapshotId,
      rows: snapshot.rows,
      skippedRows: snapshot.skippedRows,
      sources: snapshot.sources.map((s) => s.key),
    },
  });
  return { dataset, snapshotId: snapshot.snapshotId, rows: snapshot.rows, skippedRows: snapshot.skippedRows };
}
