import { describe, expect, it } from 'vitest';
import {
  accountMapRunResults,
  mapRunResults,
  runAccountPartitionItems,
  runPartitionItems,
} from '#schemas/bucket-layout.ts';
import type { ChildExecutionResult, MapRunManifest } from '#schemas/map-run.ts';
import { firstFailedChild, readPartitionResults } from '#usecases/map-run-results.ts';
import { writePartitionItems } from '#usecases/partition-items.ts';
import { recordMonthFailure } from '#usecases/record-month-failure.ts';
import { MemoryObjectStore } from './dataset/memory-object-store.ts';

/*
 * The files read here are laid out as the ResultWriter of a Distributed Map writes them
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html).
 */

const MONTH = '2026-10';
const RUN = { month: MONTH, runId: '0123456789abcdef' };
const MAP_RUN_ID = '6f1e2d3c-0000-4000-8000-000000000001';
const key = (file: string, family = mapRunResults) => family.key({ ...RUN, mapRunId: MAP_RUN_ID, file });
const MAP_RUN_ARN = `arn:aws:states:us-east-1:000000000000:mapRun:payguard-month-run/CheckPartitions:${MAP_RUN_ID}`;

const child = (partition: number, over: Partial<ChildExecutionResult>): ChildExecutionResult => ({
  Status: 'SUCCEEDED',
  Input: JSON.stringify({ ...RUN, partition }),
  ...over,
});
const succeeded = (partition: number) =>
  child(partition, {
    Output: JSON.stringify({ partition, findingsKey: `f-${partition}`, payees: 3, findings: partition }),
  });

/** A store holding one map run's results (`family`: which of the run's Maps): `groups` by status. */
function mapRun(
  groups: Partial<Record<'SUCCEEDED' | 'FAILED' | 'PENDING', ChildExecutionResult[]>>,
  family = mapRunResults,
  store = new MemoryObjectStore(),
) {
  const manifest: MapRunManifest = {
    DestinationBucket: 'payguard-data',
    MapRunArn: MAP_RUN_ARN,
    ResultFiles: { SUCCEEDED: [], FAILED: [], PENDING: [] },
  };
  for (const [status, results] of Object.entries(groups)) {
    const body = JSON.stringify(results);
    store.set(key(`${status}_0.json`, family), body);
    manifest.ResultFiles[status as 'SUCCEEDED'].push({
      Key: key(`${status}_0.json`, family),
      Size: body.length,
    });
  }
  store.set(key('manifest.json', family), JSON.stringify(manifest));
  const output = {
    MapRunArn: MAP_RUN_ARN,
    ResultWriterDetails: { Bucket: 'payguard-data', Key: key('manifest.json', family) },
  };
  return { store, output };
}

describe('the partition check results', () => {
  it('are read from the SUCCEEDED files the manifest names', async () => {
    // Prepare
    const { store, output } = mapRun({ SUCCEEDED: [succeeded(1), succeeded(0)] });

    // Act
    const results = await readPartitionResults(store, { ...RUN, partitionCount: 2 }, output);

    // Assess
    expect(results.map((r) => [r.partition, r.findingsKey, r.findings])).toEqual([
      [1, 'f-1', 1],
      [0, 'f-0', 0],
    ]);
  });

  it('refuse a map run that left a partition failed, pending or missing, or belongs to another run', async () => {
    // Prepare
    const failed = mapRun({
      SUCCEEDED: [succeeded(0)],
      FAILED: [child(1, { Status: 'FAILED', Error: 'X' })],
    });
    const pending = mapRun({ SUCCEEDED: [succeeded(0)], PENDING: [child(1, { Status: 'PENDING' })] });
    const short = mapRun({ SUCCEEDED: [succeeded(0)] });
    const twice = mapRun({ SUCCEEDED: [succeeded(0), succeeded(0)] });
    const run = { ...RUN, partitionCount: 2 };

    // Act / Assess
    await expect(readPartitionResults(failed.store, run, failed.output)).rejects.toThrow(
      /did not check every/,
    );
    await expect(readPartitionResults(pending.store, run, pending.output)).rejects.toThrow(
      /did not check every/,
    );
    await expect(readPartitionResults(short.store, run, short.output)).rejects.toThrow(/1 result\(s\) for 2/);
    await expect(readPartitionResults(twice.store, run, twice.output)).rejects.toThrow(/2 result\(s\) for 2/);
    await expect(
      readPartitionResults(short.store, { ...RUN, runId: 'another', partitionCount: 1 }, short.output),
    ).rejects.toThrow(/is not the manifest of a map run of run another/);
  });
});

describe('a failed partition check', () => {
  it('is found in the FAILED file of the run’s map run', async () => {
    // Prepare
    const { store } = mapRun({
      SUCCEEDED: [succeeded(0)],
      FAILED: [
        child(1, { Status: 'FAILED', Error: 'ReferenceDataError', Cause: '{"errorMessage":"bad file"}' }),
      ],
      PENDING: [child(2, { Status: 'PENDING' })],
    });

    // Act
    const failure = await firstFailedChild(store, RUN);
    const none = await firstFailedChild(new MemoryObjectStore(), RUN);

    // Assess
    expect(failure?.pass).toBe('partition-check');
    expect(failure?.result.Error).toBe('ReferenceDataError');
    expect(JSON.parse(failure?.result.Input ?? '{}').partition).toBe(1);
    expect(none).toBeUndefined();
  });

  it('is what RecordMonthFailure records, instead of the Map’s threshold error', async () => {
    // Prepare
    const { store } = mapRun({
      FAILED: [
        child(3, { Status: 'FAILED', Error: 'ReferenceDataError', Cause: '{"errorMessage":"bad file"}' }),
      ],
    });
    const entries: { details: Record<string, unknown> }[] = [];
    const audit = { append: async (e: { details: Record<string, unknown> }) => void entries.push(e) };
    const deps = { store, audit: audit as never, now: () => '2026-10-28T09:00:00.000Z' };
    const threshold = { Error: 'States.ExceedToleratedFailureThreshold', Cause: 'threshold exceeded' };

    // Act
    const recorded = await recordMonthFailure({ ...RUN, error: threshold }, deps);
    const withoutRun = await recordMonthFailure({ month: MONTH, error: threshold }, deps);

    // Assess
    expect(recorded.reason).toBe('ReferenceDataError: bad file');
    expect(entries[0]?.details).toEqual({ reason: 'ReferenceDataError: bad file', partition: 3 });
    expect(withoutRun.reason).toBe('States.ExceedToleratedFailureThreshold: threshold exceeded');
  });
});

describe('a failed account partition of the shared-account pass', () => {
  it('is found in the FAILED file of the pass’s map run, and recorded as an account partition', async () => {
    // Prepare
    const { store } = mapRun(
      {
        SUCCEEDED: [child(0, { Output: '{"partition":0,"partKey":"k","accounts":0}' })],
        FAILED: [child(1, { Status: 'FAILED', Error: 'Error', Cause: '{"errorMessage":"shard gone"}' })],
      },
      accountMapRunResults,
    );
    const entries: { details: Record<string, unknown> }[] = [];
    const audit = { append: async (e: { details: Record<string, unknown> }) => void entries.push(e) };
    const deps = { store, audit: audit as never, now: () => '2026-10-28T09:00:00.000Z' };
    const threshold = { Error: 'States.ExceedToleratedFailureThreshold', Cause: 'threshold exceeded' };

    // Act
    const failure = await firstFailedChild(store, RUN);
    const recorded = await recordMonthFailure({ ...RUN, error: threshold }, deps);

    // Assess
    expect(failure?.pass).toBe('shared-accounts');
    expect(recorded.reason).toBe('Error: shard gone');
    expect(entries[0]?.details).toEqual({ reason: 'Error: shard gone', accountPartition: 1 });
  });
});

describe('the partition items', () => {
  it('are one {partition} object per partition, beside the run, with the results prefix of the run', async () => {
    // Prepare
    const store = new MemoryObjectStore();

    // Act
    const keys = await writePartitionItems({ ...RUN, partitionCount: 3 }, { store });

    // Assess
    expect(keys.itemsKey).toBe(runPartitionItems.key(RUN));
    expect(JSON.parse(Buffer.from(store.get(keys.itemsKey) ?? []).toString('utf8'))).toEqual([
      { partition: 0 },
      { partition: 1 },
      { partition: 2 },
    ]);
    // Step Functions writes under {Prefix}/{mapRunId}/: the family's own keys
    expect(mapRunResults.parse(`${keys.resultsPrefix}/${MAP_RUN_ID}/manifest.json`)).toEqual({
      ...RUN,
      mapRunId: MAP_RUN_ID,
      file: 'manifest.json',
    });
    // The shared-account pass: as many account partitions, its own items and results
    expect(keys.accountItemsKey).toBe(runAccountPartitionItems.key(RUN));
    expect(store.get(keys.accountItemsKey)).toEqual(store.get(keys.itemsKey));
    expect(accountMapRunResults.parse(`${keys.accountResultsPrefix}/${MAP_RUN_ID}/manifest.json`)).toEqual({
      ...RUN,
      mapRunId: MAP_RUN_ID,
      file: 'manifest.json',
    });
    expect(mapRunResults.parse(`${keys.accountResultsPrefix}/${MAP_RUN_ID}/manifest.json`)).toBeUndefined();
  });
});
