import { createHash } from 'node:crypto';
import { partitionIndexes, partsFor } from '#domain/month-check/partition.ts';
import { runManifest, runSharedAccounts, stagedRoster } from '#schemas/bucket-layout.ts';
import { DATASET_NAMES, DATASETS } from '#schemas/datasets.ts';
import type { PreparedMonthRun } from '#schemas/month-run.ts';
import { ReferenceDataError } from '#schemas/reference-data-error.ts';
import { loadMonthConfig } from './load-month-config.ts';
import { MonthNotReadyError } from './month-run-errors.ts';
import type { ManifestBatch, ManifestDataset, MonthRunManifest } from './month-run-manifest.ts';
import { writePartitionItems } from './partition-items.ts';
import type { AuditTrail, ObjectStore, RunStateStore } from './ports.ts';
import { stageDataset } from './stage-dataset.ts';
import { readRosterShards } from './stage-roster-shards.ts';

/**
 * Rows per partition above which the month is split: into the smallest power of two of
 * partitions that gives each at most this many rows.
 */
export const DEFAULT_PARTITION_ROWS = 250_000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Fixes what a month run checks: the configuration, the current file of every batch (with its
 * staged shards), a snapshot of every dataset (staging any that changed) and the number of
 * partitions. Reads no whole roster or dataset: each partition reads its own people from the
 * staged shards. Writes the run manifest, then the items of the run's two distributed Maps: the
 * shared-account pass (a cross-person fact, one account partition per item, whose merged result
 * goes where the manifest's `sharedAccountsKey` says) and the partition check.
 * @throws MonthNotReadyError while a batch of the month is still being checked.
 * @throws ReferenceDataError when the registry is missing or holds no usable record (0 bytes,
 *   header only, or every row skipped), or a dataset file cannot be used.
 */
export async function prepareMonthRun(
  input: { month: string; bucket: string; trigger?: string | undefined },
  deps: {
    state: RunStateStore;
    store: ObjectStore;
    audit: AuditTrail;
    now: () => string;
    partitionRows?: number | undefined;
  },
): Promise<PreparedMonthRun> {
  const { month } = input;
  const { config, expectedBatches, expectedBatchesFrom } = await loadMonthConfig(month, deps);

  const states = (await deps.state.listBatches(month)).sort((a, b) => (a.batch < b.batch ? -1 : 1));
  const pending = states.filter((b) => b.status === 'PENDING');
  if (pending.length > 0) {
    throw new MonthNotReadyError(
      `${pending.length} roster(s) of ${month} still being checked: ${pending.map((b) => b.batch).join(', ')}`,
    );
  }
  const batches: ManifestBatch[] = [];
  for (const b of states) {
    const stagedKey = b.outcome?.stagedKey;
    // The shards of the upload whose staged roster the outcome names.
    const staged = stagedKey === undefined ? undefined : stagedRoster.parse(stagedKey);
    const shards =
      b.status === 'ACCEPTED' && staged !== undefined
        ? await readRosterShards(staged, deps.store)
        : undefined;
    batches.push({
      batch: b.batch,
      status: b.status,
      key: b.latestKey,
      uploadId: b.latestUploadId,
      stagedKey,
      shards,
      reportKey: b.outcome?.reportKey,
      readableReportKey: b.outcome?.readableReportKey,
      validRows: b.outcome?.status === 'ACCEPTED' ? b.outcome.validRows : 0,
      validAmountFen: b.outcome?.status === 'ACCEPTED' ? b.outcome.validAmountFen : 0,
      failure: b.failure,
    });
  }
  const accepted = batches.filter((b) => b.status === 'ACCEPTED' && b.shards !== undefined);
  const missingBatches = expectedBatches.filter((e) => !accepted.some((b) => b.batch === e));

  const datasets: Record<string, ManifestDataset> = {};
  for (const name of DATASET_NAMES) {
    const snapshot = await stageDataset(name, { store: deps.store, now: deps.now });
    datasets[name] = {
      dataset: name,
      snapshotId: snapshot.snapshotId,
      sources: snapshot.sources.map((s) => ({
        key: s.key,
        etag: s.etag,
        rows: s.rows,
        skipped: s.skipped,
        shards: s.shards,
      })),
      rows: snapshot.rows,
      skippedRows: snapshot.skippedRows,
      dateRange: snapshot.dateRange,
      missing: snapshot.missing,
    };
  }
  for (const name of DATASET_NAMES) {
    const { presence, source } = DATASETS[name];
    const dataset = datasets[name];
    if (presence !== 'required' || source.kind !== 'file' || !dataset) continue;
    if (dataset.missing) {
      const why = `${source.key} is missing: no payment can be checked against the ${name}`;
      throw new ReferenceDataError(why, { file: source.key });
    }
    // Every payment would be NOT_IN_REGISTRY: an empty release, put to the approvers as if routine.
    if (dataset.rows === 0) {
      const skipped = dataset.skippedRows > 0 ? ` (${dataset.skippedRows} row(s) skipped as unusable)` : '';
      throw new ReferenceDataError(
        `${source.key} holds no records${skipped}: nothing can be verified against an empty system of record; ` +
          'upload the full file and run the month again',
        { file: source.key },
      );
    }
  }

  const partitionRows = deps.partitionRows ?? DEFAULT_PARTITION_ROWS;
  const payeeRows = accepted.reduce((n, b) => n + b.validRows, 0);
  const partitionCount = partsFor(payeeRows, partitionRows);
  const runId = sha256(
    JSON.stringify({
      month,
      config,
      expectedBatches,
      partitionCount,
      batches: batches.map((b) => [b.batch, b.status, b.uploadId]),
      datasets: Object.values(datasets).map((d) => [d.dataset, d.snapshotId]),
    }),
  ).slice(0, 16);

  // Written by the run's shared-account pass (FindSharedAccounts, then MergeSharedAccounts).
  const sharedAccountsKey = runSharedAccounts.key({ month, runId });

  const manifest: MonthRunManifest = {
    month,
    runId,
    preparedAt: deps.now(),
    trigger: input.trigger ?? 'explicit',
    config: {
      employedContributionBaseFen: config.employedContributionBaseFen,
      pensionIncomeFen: config.pensionIncomeFen,
      expectedBatches,
      expectedBatchesFrom,
      partitionRows,
    },
    batches,
    missingBatches,
    datasets,
    payeeRows,
    partitionCount,
    sharedAccountsKey,
  };
  const manifestKey = runManifest.key({ month, runId });
  const manifestText = JSON.stringify(manifest, null, 2);
  await deps.store.put(manifestKey, manifestText, 'application/json');
  await deps.audit.append({
    month,
    action: 'MONTH_RUN_STARTED',
    actor: manifest.trigger,
    at: manifest.preparedAt,
    contentSha256: sha256(manifestText),
    subject: manifestKey,
    details: { runId, payeeRows, partitionCount, missingBatches },
  });
  const map = await writePartitionItems({ month, runId, partitionCount }, { store: deps.store });
  return {
    month,
    bucket: input.bucket,
    runId,
    manifestKey,
    partitions: partitionIndexes(partitionCount),
    ...map,
  };
}
