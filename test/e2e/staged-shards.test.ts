import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedAccounts } from '#domain/month-check/shared-accounts.ts';
import { findingsCsv } from '#schemas/bucket-layout.ts';
import { DATASET_NAMES } from '#schemas/datasets.ts';
import { checkPartition } from '#usecases/check-partition.ts';
import { findSharedAccounts } from '#usecases/find-shared-accounts.ts';
import { loadStagedPayees } from '#usecases/load-staged-payees.ts';
import { mergeSharedAccounts } from '#usecases/merge-shared-accounts.ts';
import type { MonthRunManifest } from '#usecases/month-run-manifest.ts';
import { prepareMonthRun } from '#usecases/prepare-month-run.ts';
import { readJson } from '#usecases/read-json.ts';
import { stageDataset } from '#usecases/stage-dataset.ts';
import { writeMonthFindings } from '#usecases/write-month-findings.ts';
import { FileObjectStore } from '../../bench/file-object-store.ts';
import { ingestBenchRosters } from '../../bench/ingest-bench-rosters.ts';
import { MemoryAuditTrail } from '../../bench/memory-audit-trail.ts';
import { MemoryRunStateStore } from '../../bench/memory-run-state.ts';
import { BENCH_MONTH, writeBenchMonth } from '../../bench/month-generator.ts';

// The month's findings and shared accounts do not depend on how the staged data is sharded nor
// on how many partitions check it: more shards than partitions (each partition reads several
// whole shards, merged back into source order), fewer (one shard, filtered), as many, or one.

let root: string;
let generated: string;
const now = () => '2026-12-01T08:00:00.000Z';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'payguard-staged-shards-'));
  generated = join(root, 'generated');
  await writeBenchMonth(generated, 2_000, { markerPath: join(root, 'generated.json') });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Stages a fresh copy of the month with `rowsPerShard` and runs its checks in `partitionRows`. */
async function runWith(name: string, rowsPerShard: number | undefined, partitionRows: number | undefined) {
  const dir = join(root, name);
  await cp(generated, dir, { recursive: true });
  const store = new FileObjectStore(dir);
  const state = new MemoryRunStateStore();
  await ingestBenchRosters(dir, { store, state, now, bucket: 'test', rowsPerShard });
  for (const dataset of DATASET_NAMES) await stageDataset(dataset, { store, now, rowsPerShard });
  const audit = new MemoryAuditTrail();
  const prepared = await prepareMonthRun(
    { month: BENCH_MONTH, bucket: 'test', trigger: 'test' },
    { state, store, audit, now, partitionRows },
  );
  for (const partition of prepared.partitions) {
    await findSharedAccounts({ manifestKey: prepared.manifestKey, partition }, { store });
  }
  await mergeSharedAccounts({ manifestKey: prepared.manifestKey }, { store });
  const results = [];
  for (const partition of prepared.partitions) {
    results.push(await checkPartition({ manifestKey: prepared.manifestKey, partition }, { store }));
  }
  await writeMonthFindings({ ...prepared, partitionResults: results }, { store, audit, now });
  const manifest = await readJson<MonthRunManifest>(store, prepared.manifestKey);
  const findings = Buffer.from(
    (await store.readBytes(findingsCsv.key({ month: BENCH_MONTH }))) ?? [],
  ).toString();
  const shared = Buffer.from((await store.readBytes(manifest.sharedAccountsKey)) ?? []).toString();
  return { store, manifest, findings, shared };
}

describe('staged shards', () => {
  it('give the same findings and shared accounts whatever the shard and partition counts', {
    timeout: 300_000,
  }, async () => {
    // Act
    const one = await runWith('one', undefined, undefined);
    const moreShards = await runWith('more-shards', 50, 1_000);
    const fewerShards = await runWith('fewer-shards', 5_000, 150);

    // Assess: the reference is one shard and one partition.
    expect(one.manifest.partitionCount).toBe(1);
    const rosterShards = (run: typeof one) => run.manifest.batches.map((b) => b.shards?.byId.count ?? 0);
    const datasetShards = (run: typeof one) => run.manifest.datasets.registry?.sources[0]?.shards.count ?? 0;
    expect(Math.min(...rosterShards(moreShards))).toBeGreaterThan(moreShards.manifest.partitionCount);
    expect(datasetShards(moreShards)).toBeGreaterThan(moreShards.manifest.partitionCount);
    expect(Math.max(...rosterShards(fewerShards))).toBeLessThan(fewerShards.manifest.partitionCount);
    expect(datasetShards(fewerShards)).toBeLessThan(fewerShards.manifest.partitionCount);
    expect(one.findings.split('\n').length).toBeGreaterThan(100);
    expect(moreShards.findings).toBe(one.findings);
    expect(fewerShards.findings).toBe(one.findings);
    expect(moreShards.shared).toBe(one.shared);
    expect(fewerShards.shared).toBe(one.shared);
  });

  it('gives the shared accounts the tally over every valid row of the month gives, in its order', {
    timeout: 300_000,
  }, async () => {
    // Prepare
    const run = await runWith('tally', 50, 100);
    const accepted = run.manifest.batches.flatMap((b) =>
      b.status === 'ACCEPTED' && b.stagedKey !== undefined
        ? [{ batch: b.batch, stagedKey: b.stagedKey }]
        : [],
    );

    // Act
    const expected = sharedAccounts(await loadStagedPayees(accepted, run.store));

    // Assess
    expect(expected.size).toBeGreaterThan(0);
    expect(run.shared).toBe(JSON.stringify(Object.fromEntries(expected)));
  });
});
