/**
 * `npm run bench -- check`: the month check (contract 3.3) of a generated month — N roster
 * rows, ~10·N partner rows — by payguard's real use cases, against a baseline measured in the same
 * run on the same CSV inputs: the DuckDB twin's staging and checks (`duckdb-month.ts`). Each measurement runs in its own
 * process so its peak RSS is its own; the findings of both are compared as a multiset of
 * (batch, row, id_number, category, code).
 *
 * payguard's timed part is `prepareMonthRun`, the shared-account pass (`findSharedAccounts` for
 * every account partition, `mergeSharedAccounts`), `checkPartition` for every partition (one after
 * the other, one process) and `writeMonthFindings`, over the directory-backed `FileObjectStore`. The
 * rosters and datasets are staged before, untimed: in production they are staged on arrival. The
 * staging time is reported on its own.
 *
 *   npm run bench -- check [--rows 200000,1000000]
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findingsCsv, monthReports, stagedRoster } from '#schemas/bucket-layout.ts';
import { DATASET_NAMES } from '#schemas/datasets.ts';
import { checkPartition } from '#usecases/check-partition.ts';
import { findSharedAccounts } from '#usecases/find-shared-accounts.ts';
import { mergeSharedAccounts } from '#usecases/merge-shared-accounts.ts';
import type { BatchState } from '#usecases/ports.ts';
import { prepareMonthRun } from '#usecases/prepare-month-run.ts';
import { stageDataset } from '#usecases/stage-dataset.ts';
import { writeMonthFindings } from '#usecases/write-month-findings.ts';
import { type AfterChecks, afterChecks } from './after-checks.ts';
import { DUCKDB_OUTPUTS, duckdbMonth } from './duckdb-month.ts';
import { FileObjectStore } from './file-object-store.ts';
import { compareMultisets, readFindingMultiset } from './finding-multiset.ts';
import { ingestBenchRosters } from './ingest-bench-rosters.ts';
import { MemoryAuditTrail } from './memory-audit-trail.ts';
import { MemoryRunStateStore } from './memory-run-state.ts';
import { BENCH_MONTH, type BenchMonthStats, writeBenchMonth } from './month-generator.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000,1000000' },
    measure: { type: 'string' },
    dir: { type: 'string' },
    threads: { type: 'string' },
  },
});
const root = join(process.cwd(), 'bench-output');
const STATE_FILE = '.bench/batches.json';
const DUCKDB_DIR = '.bench/duckdb';
const now = () => new Date().toISOString();
const maxRssMb = () => process.resourceUsage().maxRSS / 1024;

interface Setup {
  rosterSeconds: number;
  datasetSeconds: number;
  perDataset: Record<string, number>;
  maxRssMb: number;
}

interface Measurement {
  name: string;
  seconds: number;
  findings: number;
  maxRssMb: number;
  phases?: Record<string, number>;
}

/** Stages the rosters (validation) and the datasets, as arrival would; records the batch states. */
async function setup(dir: string): Promise<Setup> {
  await rm(join(dir, stagedRoster.root), { recursive: true, force: true });
  await rm(join(dir, monthReports.root), { recursive: true, force: true });
  const store = new FileObjectStore(dir);
  const state = new MemoryRunStateStore();
  let started = performance.now();
  await ingestBenchRosters(dir, { store, state, now });
  const rosterSeconds = (performance.now() - started) / 1000;
  await mkdir(join(dir, '.bench'), { recursive: true });
  await writeFile(join(dir, STATE_FILE), JSON.stringify(await state.listBatches(BENCH_MONTH)));
  const perDataset: Record<string, number> = {};
  started = performance.now();
  for (const name of DATASET_NAMES) {
    const t = performance.now();
    await stageDataset(name, { store, now });
    perDataset[name] = (performance.now() - t) / 1000;
  }
  return {
    rosterSeconds,
    datasetSeconds: (performance.now() - started) / 1000,
    perDataset,
    maxRssMb: maxRssMb(),
  };
}

/** payguard's month check over the staged month. */
async function payguard(dir: string): Promise<Measurement> {
  const states = JSON.parse(await readFile(join(dir, STATE_FILE), 'utf8')) as BatchState[];
  const store = new FileObjectStore(dir);
  const state = new MemoryRunStateStore(states);
  const audit = new MemoryAuditTrail();
  const started = performance.now();
  const prepared = await prepareMonthRun(
    { month: BENCH_MONTH, bucket: 'bench', trigger: 'bench' },
    { state, store, audit, now },
  );
  const prepareSeconds = (performance.now() - started) / 1000;
  // The shared-account pass: one item per account partition, then their merge.
  for (const partition of prepared.partitions) {
    await findSharedAccounts({ manifestKey: prepared.manifestKey, partition }, { store });
  }
  await mergeSharedAccounts({ manifestKey: prepared.manifestKey }, { store });
  const sharedSeconds = (performance.now() - started) / 1000 - prepareSeconds;
  const results = [];
  for (const partition of prepared.partitions) {
    results.push(await checkPartition({ manifestKey: prepared.manifestKey, partition }, { store }));
  }
  const checkSeconds = (performance.now() - started) / 1000 - prepareSeconds - sharedSeconds;
  const report = await writeMonthFindings({ ...prepared, partitionResults: results }, { store, audit, now });
  const seconds = (performance.now() - started) / 1000;
  return {
    name: 'payguard',
    seconds,
    findings: report.findings,
    maxRssMb: maxRssMb(),
    phases: {
      prepare: prepareSeconds,
      [`shared accounts ×${prepared.partitions.length}`]: sharedSeconds,
      [`check ×${prepared.partitions.length}`]: checkSeconds,
      report: seconds - prepareSeconds - sharedSeconds - checkSeconds,
    },
  };
}

async function duckdb(dir: string, threads: number): Promise<Measurement> {
  await mkdir(join(dir, DUCKDB_DIR), { recursive: true });
  const started = performance.now();
  // Staging (reading and typing every CSV file) and the checks: the twin's check of the month.
  const result = await duckdbMonth({ dir, month: BENCH_MONTH, outDir: join(dir, DUCKDB_DIR), threads }, [
    'staging',
    'checks',
  ]);
  const seconds = (performance.now() - started) / 1000;
  return {
    name: `duckdb ${threads} thread${threads > 1 ? 's' : ''}`,
    seconds,
    findings: result.findings ?? 0,
    phases: { ...result.phases },
    maxRssMb: maxRssMb(),
  };
}

/** Runs one measurement in a child process (its own peak RSS) and returns its JSON. */
function child<T>(measure: string, dir: string, extra: string[] = []): T {
  const out = execFileSync(
    process.execPath,
    [...process.execArgv, process.argv[1] as string, '--measure', measure, '--dir', dir, ...extra],
    { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(out) as T;
}

interface Result {
  rows: number;
  stats: BenchMonthStats;
  setup: Setup;
  payguard: Measurement;
  duckdb1: Measurement;
  duckdbAll: Measurement;
  identical: boolean;
  after: AfterChecks;
}

const fmt = (n: number, digits = 2) => n.toFixed(digits);
const int = (n: number) => Math.round(n).toLocaleString('en');

async function benchOne(rows: number): Promise<Result> {
  const dir = join(root, `month-${rows}`);
  console.log(`\nmonth check of ${int(rows)} roster rows`);
  const t = performance.now();
  const stats = await writeBenchMonth(dir, rows);
  const partnerRows = Object.values(stats.partnerRows).reduce((s, n) => s + n, 0);
  console.log(
    `  data: ${int(stats.rosterRows)} roster rows (${int(stats.payees)} people, ${stats.batches.length} batches), ` +
      `${int(stats.registryRows)} registry rows, ${int(partnerRows)} partner rows ` +
      `(${Object.entries(stats.partnerRows)
        .map(([k, n]) => `${k} ${int(n)}`)
        .join(
          ', ',
        )}), ${fmt(stats.bytes / 1e6, 0)} MB of CSV (${stats.reused ? 'generated before' : `generated in ${fmt((performance.now() - t) / 1000, 1)} s`})`,
  );
  const staged = child<Setup>('setup', dir);
  console.log(
    `  staging (on arrival, not timed below): rosters ${fmt(staged.rosterSeconds)} s, datasets ${fmt(staged.datasetSeconds)} s ` +
      `(${Object.entries(staged.perDataset)
        .map(([k, s]) => `${k} ${fmt(s, 1)}`)
        .join(', ')}), peak RSS ${fmt(staged.maxRssMb, 0)} MB`,
  );
  const pg = child<Measurement>('payguard', dir);
  const d1 = child<Measurement>('duckdb', dir, ['--threads', '1']);
  const all = availableParallelism();
  // Its findings file is the one compared (the last DuckDB run writes it).
  const dAll = all > 1 ? child<Measurement>('duckdb', dir, ['--threads', String(all)]) : d1;
  const line = (m: Measurement) =>
    `  ${m.name.padEnd(17)} ${fmt(m.seconds).padStart(7)} s  ${int(rows / m.seconds).padStart(10)} rows/s  ` +
    `peak RSS ${fmt(m.maxRssMb, 0).padStart(5)} MB  ${int(m.findings).padStart(7)} findings` +
    (m.phases
      ? `  (${Object.entries(m.phases)
          .map(([k, s]) => `${k} ${fmt(s)} s`)
          .join(', ')})`
      : '');
  console.log(line(pg));
  console.log(line(d1));
  if (dAll !== d1) console.log(line(dAll));
  console.log(
    `  ratio payguard / duckdb: ${fmt(pg.seconds / d1.seconds)} (1 thread, like for like)` +
      (dAll !== d1 ? `, ${fmt(pg.seconds / dAll.seconds)} (${all} threads)` : '') +
      `; < 1 means payguard is faster`,
  );
  const left = await readFindingMultiset(join(dir, findingsCsv.key({ month: BENCH_MONTH })));
  const right = await readFindingMultiset(join(dir, DUCKDB_DIR, DUCKDB_OUTPUTS.findings));
  const diff = compareMultisets(left, right);
  const identical = diff.onlyLeft.length === 0 && diff.onlyRight.length === 0;
  const byCode = [...diff.byCode]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([code, n]) => `${code} ${n.left === n.right ? int(n.left) : `${int(n.left)}≠${int(n.right)}`}`)
    .join(', ');
  console.log(
    identical
      ? `  same findings (batch, row, id, category, code multiset): ${byCode}`
      : `  FINDINGS DIFFER: ${diff.onlyLeft.length} only payguard, ${diff.onlyRight.length} only duckdb; ${byCode}\n` +
          `    only payguard e.g. ${diff.onlyLeft.slice(0, 5).join('; ')}\n` +
          `    only duckdb e.g. ${diff.onlyRight.slice(0, 5).join('; ')}`,
  );
  const after = child<AfterChecks>('after', dir);
  console.log(
    `  after the checks: ${fmt(after.seconds)} s for ${int(after.releasedRows)} released rows, peak RSS ${fmt(after.maxRssMb, 0)} MB ` +
      `(${Object.entries(after.phases)
        .map(([k, s]) => `${k} ${fmt(s)} s`)
        .join(', ')}); ratio to payguard's check ${fmt(after.seconds / pg.seconds)}`,
  );
  return { rows, stats, setup: staged, payguard: pg, duckdb1: d1, duckdbAll: dAll, identical, after };
}

async function main(): Promise<void> {
  if (values.measure) {
    const dir = values.dir as string;
    const result =
      values.measure === 'setup'
        ? await setup(dir)
        : values.measure === 'payguard'
          ? await payguard(dir)
          : values.measure === 'after'
            ? await afterChecks(dir)
            : await duckdb(dir, Number(values.threads ?? 1));
    process.stdout.write(JSON.stringify(result));
    return;
  }
  const sizes = (values.rows ?? '').split(',').map(Number);
  const results: Result[] = [];
  for (const rows of sizes) results.push(await benchOne(rows));

  console.log(
    '\nmonth check summary (payguard: prepare + check every partition + report; one process each):',
  );
  for (const r of results) {
    console.log(
      `  N=${int(r.rows).padStart(9)}  payguard ${fmt(r.payguard.seconds).padStart(6)} s, ${fmt(r.payguard.maxRssMb, 0).padStart(5)} MB` +
        `  duckdb(1) ${fmt(r.duckdb1.seconds).padStart(6)} s, ${fmt(r.duckdb1.maxRssMb, 0).padStart(5)} MB` +
        `  ratio ${fmt(r.payguard.seconds / r.duckdb1.seconds)}` +
        (r.duckdbAll !== r.duckdb1
          ? `  duckdb(${availableParallelism()}) ${fmt(r.duckdbAll.seconds)} s, ratio ${fmt(r.payguard.seconds / r.duckdbAll.seconds)}`
          : '') +
        `  findings ${r.identical ? 'identical' : 'DIFFER'}`,
    );
  }
  const first = results[0];
  const last = results.at(-1);
  if (first !== undefined && last !== undefined && last !== first) {
    const rowGrowth = last.rows / first.rows;
    console.log(
      `  growth ${int(first.rows)} → ${int(last.rows)} rows (×${fmt(rowGrowth, 1)}): ` +
        `payguard time ×${fmt(last.payguard.seconds / first.payguard.seconds)}, ` +
        `duckdb(1) ×${fmt(last.duckdb1.seconds / first.duckdb1.seconds)}` +
        (last.duckdbAll !== last.duckdb1
          ? `, duckdb(all) ×${fmt(last.duckdbAll.seconds / first.duckdbAll.seconds)}`
          : ''),
    );
    const linear = last.payguard.seconds / first.payguard.seconds <= rowGrowth;
    const fast = last.payguard.seconds <= last.duckdb1.seconds;
    const small = last.payguard.maxRssMb <= 2048;
    console.log(
      `  targets at ${int(last.rows)}: ratio ≤ 1.0 ${fast ? 'met' : 'MISSED'}; peak RSS ≤ 2048 MB ${small ? 'met' : 'MISSED'}; ` +
        `growth ≤ ×${fmt(rowGrowth, 1)} ${linear ? 'met' : 'MISSED'}`,
    );
  }
  if (results.some((r) => !r.identical)) process.exitCode = 1;
}

await main();
