import { datasetOfKey } from '#schemas/datasets.ts';
import type { AuditTrail, ObjectStore } from './ports.ts';
import { listDatasetSources, snapshotWhenStaged, stageDataset } from './stage-dataset.ts';
import { stageDatasetFile } from './stage-dataset-file.ts';

/**
 * Stages the newly arrived file on its own (`stageDatasetFile`) and audits it
 * (`DATASET_FILE_STAGED`); then, when every current file of its dataset is staged, writes the
 * dataset's snapshot and audits that (`DATASET_STAGED`). Files of no dataset (e.g.
 * `reference/towns.csv`, read directly) are left alone.
 *
 * Files of one dataset landing together (nine social-insurance files of a month; a province's
 * month is tens of millions of rows) are each staged by their own arrival, side by side, and each
 * is read once: the last one staged writes the snapshot from the files' stagings. Nothing is lost
 * if a file's staging fails: the month run stages whatever file or snapshot is missing.
 */
export async function stageDatasetOnArrival(
  input: { key: string; time: string },
  deps: { store: ObjectStore; audit: AuditTrail; now: () => string },
): Promise<{
  dataset: string | null;
  snapshotId?: string;
  rows?: number;
  skippedRows?: number;
  fileRows?: number;
  waitingFor?: readonly string[];
}> {
  const dataset = datasetOfKey(input.key);
  if (dataset === undefined) return { dataset: null };
  const month = input.time.slice(0, 7);
  const own = (await listDatasetSources(dataset, deps.store)).find((s) => s.key === input.key);
  let fileRows: number | undefined;
  if (own !== undefined) {
    const file = await stageDatasetFile(dataset, own, deps);
    fileRows = file.source.rows;
    await deps.audit.append({
      month,
      action: 'DATASET_FILE_STAGED',
      actor: 'payguard:dataset-ingest',
      at: deps.now(),
      subject: input.key,
      details: {
        dataset,
        fileId: file.fileId,
        etag: file.source.etag,
        rows: file.source.rows,
        skippedRows: file.source.skipped,
      },
    });
  }
  // The arrived file gone already: the dataset is staged as it now is.
  const snapshot =
    own === undefined ? await stageDataset(dataset, deps) : await snapshotWhenStaged(dataset, deps);
  if ('waitingFor' in snapshot) {
    return { dataset, ...(fileRows !== undefined ? { fileRows } : {}), waitingFor: snapshot.waitingFor };
  }
  await deps.audit.append({
    month,
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
  return {
    dataset,
    snapshotId: snapshot.snapshotId,
    rows: snapshot.rows,
    skippedRows: snapshot.skippedRows,
    ...(fileRows !== undefined ? { fileRows } : {}),
  };
}
