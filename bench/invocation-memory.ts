/**
 * The peak memory of the month run's two largest kinds of invocation, each in a process of its own
 * (as a Lambda would run it), over a generated month: `/usr/bin/time -v` around each step.
 *
 *   tsx bench/invocation-memory.ts gen DIR PAYEES   the bench's month (rosters, registry, partners)
 *   tsx bench/invocation-memory.ts stage DIR        validates the rosters, stages every dataset
 *   tsx bench/invocation-memory.ts prepare DIR      PrepareMonthRun
 *   tsx bench/invocation-memory.ts shared DIR P     FindSharedAccounts of account partition P
 *   tsx bench/invocation-memory.ts merge DIR        MergeSharedAccounts (after every `shared`)
 *   tsx bench/invocation-memory.ts check DIR P      CheckPartition of partition P
 *   tsx bench/invocation-memory.ts findings DIR     WriteMonthFindings (after every partition's check)
 *   tsx bench/invocation-memory.ts cases DIR        OpenMonthCases (cases in memory)
 *   tsx bench/invocation-memory.ts prepare-release DIR   PrepareRelease
 *   tsx bench/invocation-memory.ts release DIR      ReleaseMonth of the candidate, approved in memory;
 *                                                   touch partners/deaths/* first for the death re-check
 *   tsx bench/invocation-memory.ts close-out DIR    CloseOut against the generated bank file
 *   tsx bench/invocation-memory.ts metrics DIR      ComputeMetrics, then DetectAnomalies
 *   tsx bench/invocation-memory.ts sample DIR       DrawSample
 *   tsx bench/invocation-memory.ts page DIR         WriteMonthPage
 *   tsx bench/invocation-memory.ts notify DIR       NotifyBureau (the notice printed)
 *
 * Each step leaves what the next needs under DIR/.bench. Not part of `npm run bench`: a tool to
 * compare layouts before and after a change.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { monthReports, stagedRoster } from '#schemas/bucket-layout.ts';
import { DATASET_NAMES } from '#schemas/datasets.ts';
import type { PreparedMonthRun } from '#schemas/month-run.ts';
import { checkPartition } from '#usecases/check-partition.ts';
import { findSharedAccounts } from '#usecases/find-shared-accounts.ts';
import { mergeSharedAccounts } from '#usecases/merge-shared-accounts.ts';
import type { BatchState } from '#usecases/ports.ts';
import { prepareMonthRun } from '#usecases/prepare-month-run.ts';
import { stageDataset } from '#usecases/stage-dataset.ts';
import { FileObjectStore } from './file-object-store.ts';
import { ingestBenchRosters } from './ingest-bench-rosters.ts';
import { afterCheckSteps } from './invocation-steps.ts';
import { MemoryAuditTrail } from './memory-audit-trail.ts';
import { MemoryRunStateStore } from './memory-run-state.ts';
import { BENCH_MONTH, writeBenchMonth } from './month-generator.ts';

const now = () => new Date().toISOString();
const [step, dir = '', arg = ''] = process.argv.slice(2);
const statePath = join(dir, '.bench', 'batches.json');
const preparedPath = join(dir, '.bench', 'prepared.json');

async function stage(): Promise<void> {
  await rm(join(dir, stagedRoster.root), { recursive: true, force: true });
  await rm(join(dir, monthReports.root), { recursive: true, force: true });
  const store = new FileObjectStore(dir);
  const state = new MemoryRunStateStore();
  await ingestBenchRosters(dir, { store, state, now });
  for (const name of DATASET_NAMES) await stageDataset(name, { store, now });
  await mkdir(join(dir, '.bench'), { recursive: true });
  await writeFile(statePath, JSON.stringify(await state.listBatches(BENCH_MONTH)));
}

async function prepare(): Promise<void> {
  const states = JSON.parse(await readFile(statePath, 'utf8')) as BatchState[];
  const prepared = await prepareMonthRun(
    { month: BENCH_MONTH, bucket: 'bench', trigger: 'bench' },
    {
      state: new MemoryRunStateStore(states),
      store: new FileObjectStore(dir),
      audit: new MemoryAuditTrail(),
      now,
    },
  );
  await writeFile(preparedPath, JSON.stringify(prepared));
  console.log(`partitions ${prepared.partitions.length}`);
}

async function shared(): Promise<void> {
  const prepared = JSON.parse(await readFile(preparedPath, 'utf8')) as PreparedMonthRun;
  const result = await findSharedAccounts(
    { manifestKey: prepared.manifestKey, partition: Number(arg) },
    { store: new FileObjectStore(dir) },
  );
  console.log(`account partition ${result.partition}: ${result.accounts} shared accounts`);
}

async function merge(): Promise<void> {
  const prepared = JSON.parse(await readFile(preparedPath, 'utf8')) as PreparedMonthRun;
  const result = await mergeSharedAccounts(
    { manifestKey: prepared.manifestKey },
    { store: new FileObjectStore(dir) },
  );
  console.log(`${result.accounts} shared accounts`);
}

async function check(): Promise<void> {
  const prepared = JSON.parse(await readFile(preparedPath, 'utf8')) as PreparedMonthRun;
  const result = await checkPartition(
    { manifestKey: prepared.manifestKey, partition: Number(arg) },
    { store: new FileObjectStore(dir) },
  );
  await writeFile(join(dir, '.bench', `partition-${result.partition}.json`), JSON.stringify(result));
  console.log(`partition ${result.partition}: ${result.payees} payees, ${result.findings} findings`);
}

if (step === 'gen')
  console.log(JSON.stringify(await writeBenchMonth(dir, Number(arg), { markerPath: `${dir}.json` })));
else if (step === 'stage') await stage();
else if (step === 'prepare') await prepare();
else if (step === 'shared') await shared();
else if (step === 'merge') await merge();
else if (step === 'check') await check();
else if (step !== undefined && step in afterCheckSteps) {
  const run = afterCheckSteps[step as keyof typeof afterCheckSteps];
  console.log(JSON.stringify(await run(dir)));
} else
  throw new Error(
    `usage: invocation-memory.ts gen|stage|prepare|shared|merge|check|${Object.keys(afterCheckSteps).join('|')} DIR [PAYEES|PARTITION]`,
  );
