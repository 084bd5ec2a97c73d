import { datasetOfKey } from '#schemas/datasets.ts';
import type { AuditTrail, ObjectStore } from './ports.ts';
import { stageDataset } from './stage-dataset.ts';

/**
 * Stages the dataset a newly arrived file belongs to (every file of the dataset, as one snapshot)
 * and audits it. Files of no dataset (e.g. `reference/towns.csv`, read directly) are left alone.
 */
export async function stageDatasetOnArrival(
  input: { key: string; time: string },
  deps: { store: ObjectStore; audit: AuditTrail; now: () => string },
): Promise<{ dataset: string | null; snapshotId?: string; rows?: number; skippedRows?: number }> {
  const dataset = datasetOfKey(input.key);
  if (dataset === undefined) return { dataset: null };
  const snapshot = await stageDataset(dataset, { store: deps.store, now: deps.now });
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
