import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '#adapters/clients.ts';
import { simulateBankReturns } from '#demo/bank-returns.ts';
import { generateDemoMonth } from '#demo/generate-month.ts';
import { seedDemoMetricsHistory } from '#demo/metrics-history.ts';
import { type MonthState, RunError, runMonth } from '#local/cli/run-month.ts';
import { everyTaskState, FAULT_KINDS, type FaultKind, type FaultPlan } from '#local/engine/fault-plan.ts';
import type { TaskInterceptor } from '#local/engine/workflow-engine.ts';
import { pipelineConfig, releaseFile } from '#schemas/bucket-layout.ts';

/**
 * Fault injection (issue 10, item 9): the demonstration month runs once clean, then once per Task
 * state of every workflow and kind of fault (a transient error before the function runs, a crash
 * after its side effects). Each run either completes with every CSV output and validation report
 * byte-identical to the clean run's, or stops with the failure recorded; never two releases, never
 * an upload left unfinished or unreported.
 *
 * The faults are split into shards, one test file each (`test/e2e/fault-injection-{shard}.test.ts`),
 * so that the runner can run them side by side: the embedded stack's endpoints are the process's
 * environment, so the months of one file run one after the other. Each shard runs clean the
 * scenarios its faults need.
 */

const MONTH = '2026-10';
const SEED = '7';
let root: string;
let dataDir: string;
let runs = 0;

/** The first invocation whose payload mentions `key` fails with an error named `name` (once). */
function failOnce(name: string, key: string, after = false): TaskInterceptor {
  let failed = false;
  return async (invoke, payload) => {
    if (failed || !JSON.stringify(payload).includes(key)) return invoke(payload);
    failed = true;
    if (after) await invoke(payload);
    throw Object.assign(new Error(`test: ${name} for ${key}`), { name });
  };
}

const count = (audit: readonly string[], action: string) =>
  audit.filter((a) => a.startsWith(`${action} `)).length;

/**
 * How the month goes: as generated, or down a failure path (made to happen by an interceptor) so
 * that the states only such a path runs meet a fault too. Each scenario runs clean once; a fault
 * run is compared with the clean run of its scenario.
 */
const SCENARIOS: Record<
  string,
  {
    states: string[];
    interceptors: () => Record<string, TaskInterceptor>;
    /** What its clean run must have left. */
    assessClean: (run: Observed) => void;
  }
> = {
  demonstration: {
    states: [],
    interceptors: () => ({}),
    assessClean: (run) => {
      expect(run.completed).toBe(true);
      expect(run.state).toBe('OPEN');
      expect(run.releaseWrites).toBe(1);
      expect(Object.keys(run.outputs)).toEqual(
        expect.arrayContaining([
          'findings.csv',
          'release.csv',
          'closeout.csv',
          'reissue.csv',
          'sample.csv',
          'anomalies.csv',
          `metrics-${MONTH}.csv`,
          'validation/shiqi.txt',
        ]),
      );
    },
  },
  // A partner file cannot be used (the dataset is rejected), and the month run finds reference
  // data it cannot use: it stops with the reason recorded.
  'dataset rejected': {
    states: ['RecordDatasetFailure', 'RecordMonthFailure'],
    interceptors: () => ({
      StageDataset: failOnce('ReferenceDataError', 'partners/business/'),
      PrepareMonthRun: failOnce('ReferenceDataError', MONTH),
    }),
    assessClean: (run) => {
      expect(run).toMatchObject({ completed: false, releaseWrites: 0 });
      expect(count(run.audit, 'DATASET_REJECTED')).toBe(1);
      expect(count(run.audit, 'MONTH_RUN_FAILED')).toBe(1);
    },
  },
  // A roster vanished between its registration and its validation: that upload is recorded
  // FAILED and reported; the other towns' month goes on to its release.
  'upload failed': {
    states: ['RecordFailure'],
    interceptors: () => ({ ValidateRoster: failOnce('UploadVanishedError', '/shiqi/') }),
    assessClean: (run) => {
      expect(run).toMatchObject({ completed: true, releaseWrites: 1 });
      expect(count(run.audit, 'FILE_FAILED')).toBe(1);
    },
  },
  // Nobody decided in time: the month is held and the towns are told.
  held: {
    states: ['HoldMonth'],
    interceptors: () => ({ RequestApproval: failOnce('States.Timeout', MONTH, true) }),
    assessClean: (run) => {
      expect(run).toMatchObject({ completed: true, state: 'HELD', releaseWrites: 0 });
      expect(count(run.audit, 'MONTH_HELD')).toBe(1);
    },
  },
};
const clean: Record<string, Observed> = {};

/** The clean run of a scenario. */
function cleanRun(scenario: string): Observed {
  const run = clean[scenario];
  if (!run) throw new Error(`no clean run of ${scenario}`);
  return run;
}

const scenarioOf = (state: string) =>
  Object.entries(SCENARIOS).find(([, s]) => s.states.includes(state))?.[0] ?? 'demonstration';

/** Each registered upload as `key status`, sorted: what two runs' upload tables agree on. */
const uploadStatuses = (uploads: Record<string, string>) =>
  Object.entries(uploads)
    .map(([upload, status]) => `${upload.split(' ')[0]} ${status}`)
    .sort();

/** What a run left: its outputs, and the state and audit tables as it stopped. */
interface Observed {
  readonly completed: boolean;
  readonly state?: MonthState;
  readonly reason?: string;
  /** Every CSV output and validation report, by its path in OUT (their "Checked at" lines dropped). */
  readonly outputs: Record<string, string>;
  /** Status of every registered upload, by key and upload id. */
  readonly uploads: Record<string, string>;
  /** Every audit entry, as `action subject`. */
  readonly audit: string[];
  readonly releaseWrites: number;
  readonly mails: number;
  /** Whether the planned fault happened. */
  readonly fired: boolean;
}

const TERMINAL = new Set(['ACCEPTED', 'REJECTED', 'SUPERSEDED', 'FAILED']);
/** The audit action that reports each terminal status of an upload. */
const REPORTED_BY: Record<string, string[]> = {
  ACCEPTED: ['FILE_ACCEPTED'],
  REJECTED: ['FILE_REJECTED'],
  FAILED: ['FILE_FAILED'],
  SUPERSEDED: ['FILE_RECEIVED_SUPERSEDED', 'FILE_ACCEPTED', 'FILE_REJECTED', 'FILE_FAILED'],
};

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

async function outputsOf(outDir: string): Promise<Record<string, string>> {
  const outputs: Record<string, string> = {};
  for (const path of await filesUnder(outDir)) {
    const name = relative(outDir, path);
    if (!name.endsWith('.csv') && !name.startsWith('validation/')) continue;
    if (name.startsWith('demo-data/')) continue;
    const read = await readFile(path, 'utf8');
    // A case's opened_at/closed_at is when the step ran: the one column of the outputs that is a clock.
    const text =
      name === 'cases.csv' ? read.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '{time}') : read;
    outputs[name] = text
      .split('\n')
      .filter((line) => !line.includes('Checked at'))
      .join('\n');
  }
  return outputs;
}

/** Runs the month, with the fault when one is planned, and observes what it left. */
async function observeRun(scenario: string, fault?: FaultPlan): Promise<Observed> {
  runs += 1;
  const outDir = join(root, `out-${runs}`);
  let releaseWrites = 0;
  let tables: Pick<Observed, 'uploads' | 'audit' | 'mails' | 'fired'> | undefined;
  const releaseKey = releaseFile.key({ month: MONTH });
  let completed = true;
  let state: MonthState | undefined;
  let reason: string | undefined;
  try {
    const result = await runMonth({
      dataDir,
      month: MONTH,
      outDir,
      approve: 'auto',
      sampleSeed: SEED,
      simulateBank: (release) => simulateBankReturns(MONTH, release),
      ...(fault ? { fault } : {}),
      interceptors: SCENARIOS[scenario]?.interceptors() ?? {},
      observe: {
        started: (stack) =>
          stack.onObjectEvent((record) => {
            if (record.s3.object.key === releaseKey && record.eventName.startsWith('ObjectCreated'))
              releaseWrites += 1;
          }),
        stopping: async ({ stack, workflows, outboxDir }) => {
          const client = documentClient();
          const scan = async (table: string) =>
            (await client.send(new ScanCommand({ TableName: table }))).Items ?? [];
          const stateItems = await scan(stack.stateTable);
          const auditItems = await scan(stack.auditTable);
          tables = {
            uploads: Object.fromEntries(
              stateItems
                .filter((i) => String(i.pk).startsWith('UPLOAD#'))
                .map((i) => [`${i.key} ${i.uploadId}`, String(i.status)]),
            ),
            audit: auditItems
              .sort((a, b) => String(a.pk + a.sk).localeCompare(String(b.pk + b.sk)))
              .map((i) => `${i.action} ${i.subject}`),
            mails: (await filesUnder(outboxDir)).filter((f) => f.endsWith('.eml')).length,
            fired: workflows?.faults?.fired ?? false,
          };
        },
      },
    });
    state = result.state;
  } catch (error) {
    if (!(error instanceof RunError)) throw error;
    completed = false;
    reason = error.message;
  }
  if (!tables) throw new Error('the run ended before its stack was observed');
  return {
    completed,
    ...(state ? { state } : {}),
    ...(reason ? { reason } : {}),
    outputs: completed ? await outputsOf(outDir) : {},
    releaseWrites,
    ...tables,
  };
}

/** The shards of the faults, each run by `test/e2e/fault-injection-{shard}.test.ts`. */
export const SHARDS = ['ingest', 'month-checks', 'month-release', 'after-release'] as const;
export type Shard = (typeof SHARDS)[number];

/** The month run's approval gate: its Task states before it are the checks, the rest the release. */
const GATE = 'RequestApproval';

/**
 * The shard of a fault at `state` of `workflow`: the ingests, the month run's checks, the month
 * run from its approval gate on, and what follows the release (bank returns, month watch).
 * @throws Error for a workflow no shard holds.
 */
export function shardOf(workflow: string, state: string): Shard {
  if (workflow === 'ingest' || workflow === 'dataset-ingest') return 'ingest';
  if (workflow === 'bank-returns' || workflow === 'month-watch') return 'after-release';
  if (workflow !== 'month-run') throw new Error(`no fault-injection shard holds workflow ${workflow}`);
  const states = everyTaskState()
    .filter((s) => s.workflow === workflow)
    .map((s) => s.state);
  const gate = states.indexOf(GATE);
  if (gate < 0) throw new Error(`no ${GATE} among the month run's Task states`);
  return states.indexOf(state) < gate ? 'month-checks' : 'month-release';
}

/** Every Task state of every workflow with each kind of fault, with its scenario and shard. */
const CASES = everyTaskState().flatMap(({ workflow, state }) =>
  FAULT_KINDS.map((kind): [string, string, FaultKind, string, Shard] => [
    workflow,
    state,
    kind,
    scenarioOf(state),
    shardOf(workflow, state),
  ]),
);

/** Runs the clean runs and the faults of one shard over the demonstration month. */
export function describeFaultShard(shard: Shard): void {
  const cases = CASES.filter((c) => c[4] === shard).map(([workflow, state, kind, scenario]) => [
    workflow,
    state,
    kind,
    scenario,
  ]) as [string, string, FaultKind, string][];
  // The demonstration runs clean in every shard: its check is cheap and each shard stands alone.
  const scenarios = [...new Set(['demonstration', ...cases.map((c) => c[3])])];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'payguard-faults-'));
    dataDir = join(root, 'data');
    const manifest = await generateDemoMonth({ dir: dataDir, month: MONTH, towns: 4, payeesPerTown: 40 });
    await seedDemoMetricsHistory(dataDir, MONTH, manifest.towns);
    // The bureau expects every town's batch, so the month starts itself (ingest's StartMonthRun)
    // once the last one is accepted; without it a first month expects nobody and never starts itself.
    await mkdir(join(dataDir, 'config'), { recursive: true });
    await writeFile(
      join(dataDir, pipelineConfig.key()),
      JSON.stringify({ expectedBatches: manifest.towns.map((t) => t.code) }),
    );
    for (const scenario of scenarios) clean[scenario] = await observeRun(scenario);
  }, 600_000);

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  describe(`fault injection over the demonstration month (${shard})`, () => {
    it('runs clean: released once, closed out, every upload finished and reported', () => {
      SCENARIOS.demonstration?.assessClean(cleanRun('demonstration'));
    });

    it.each(scenarios.filter((s) => s !== 'demonstration'))(
      'runs clean down the failure path "%s": the failure recorded',
      (scenario) => {
        SCENARIOS[scenario]?.assessClean(cleanRun(scenario));
      },
    );

    it('meets every Task state of every workflow with each kind of fault, across the shards', () => {
      expect(CASES).toHaveLength(everyTaskState().length * FAULT_KINDS.length);
      expect(new Set(CASES.map(([workflow]) => workflow))).toEqual(
        new Set(['month-run', 'ingest', 'dataset-ingest', 'bank-returns', 'month-watch']),
      );
      expect(CASES.map(([, state]) => state)).toContain('CheckPartition');
      // Each case is in one shard, every shard has its test file, and this one has faults to inject.
      expect(new Set(CASES.map((c) => c[4]))).toEqual(new Set(SHARDS));
      for (const name of SHARDS) {
        expect(existsSync(new URL(`../e2e/fault-injection-${name}.test.ts`, import.meta.url)), name).toBe(
          true,
        );
      }
      expect(cases.length).toBeGreaterThan(0);
      // Every failure path runs clean in some shard.
      expect(new Set(CASES.map((c) => c[3]))).toEqual(new Set(Object.keys(SCENARIOS)));
    });

    it.each(cases)(
      '%s: %s fails once (%s) in the %s month',
      async (workflow, state, kind, scenario) => {
        // Prepare
        const reference = cleanRun(scenario);

        // Act
        const run = await observeRun(scenario, { workflow, state, kind });

        // Assess
        expect(run.fired, 'the fault happened').toBe(true);
        expect(run.releaseWrites).toBeLessThanOrEqual(1);
        expect(count(run.audit, 'MONTH_RELEASED')).toBeLessThanOrEqual(1);
        for (const [upload, status] of Object.entries(run.uploads)) {
          expect(TERMINAL.has(status), `${upload} ${status}`).toBe(true);
          const key = upload.split(' ')[0];
          const reported = run.audit.some((a) =>
            (REPORTED_BY[status] ?? []).some((action) => a === `${action} ${key}`),
          );
          expect(reported, `${upload} ${status} is in the audit trail`).toBe(true);
        }
        expect(
          Object.keys(run.uploads)
            .map((u) => u.split(' ')[0])
            .sort(),
        ).toEqual(
          Object.keys(reference.uploads)
            .map((u) => u.split(' ')[0])
            .sort(),
        );
        if (run.completed) {
          expect(run.state).toBe(reference.state);
          expect(run.outputs).toEqual(reference.outputs);
          // An upload id is made from the object's ETag, new at every write (as in the KMS-encrypted
          // bucket), so two stacks' ids differ: each upload's key and status are compared.
          expect(uploadStatuses(run.uploads)).toEqual(uploadStatuses(reference.uploads));
        } else {
          expect(run.reason).toBeDefined();
          const recorded =
            count(run.audit, 'MONTH_RUN_FAILED') +
            count(run.audit, 'FILE_FAILED') +
            count(run.audit, 'DATASET_REJECTED');
          expect(recorded, `the failure is recorded: ${run.reason}`).toBeGreaterThan(0);
        }
      },
      300_000,
    );
  });
}
