/**
 * `npm run bench -- e2e`: the whole month end to end. For each size N, a generated bucket (N roster
 * rows, ~10·N partner rows, the bank's return files) is run by payguard exactly as a user runs it —
 * `npm start -- run --data DIR --month M --out OUT --approve auto` in its own process: every file
 * loaded into the embedded bucket, rosters ingested, datasets staged, the month checked, approved,
 * released, closed out against the bank file and watched — and, in the same bench run over the same
 * directory, by the DuckDB twin of the contract (staging, checks, release, close-out as SQL, in its
 * own process). Prints both times, the ratio, each one's peak RSS and CPU time, a per-step table
 * and a per-function table, and fails (exit 1) unless findings, release and close-out agree.
 *
 *   npm run bench -- e2e [--payees 200000,1000000] [--duckdb-threads N]
 */
import { execFileSync } from 'node:child_process';
import { access, mkdir, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WATCH_OUTPUTS } from '#local/cli/watch-month.ts';
import { DUCKDB_OUTPUTS, type DuckDbPhase, duckdbMonth } from './duckdb-month.ts';
import { BENCH_MONTH, type BenchMonthStats, writeBenchMonth } from './month-generator.ts';
import { compareOutputs, type OutputAgreement } from './output-agreement.ts';
import { type PayguardRun, runPayguard } from './payguard-run.ts';
import { type FunctionMemory, functionMemory, STEPS, type Step, stepTable } from './step-table.ts';

const { values } = parseArgs({
  options: {
    payees: { type: 'string', default: '200000,1000000' },
    'duckdb-threads': { type: 'string' },
    measure: { type: 'string' },
    dir: { type: 'string' },
    out: { type: 'string' },
  },
});
const root = join(process.cwd(), 'bench-output');
const SAMPLE_SEED = 'bench';
const threads = Number(values['duckdb-threads'] ?? availableParallelism());

/** The DuckDB twin's run, measured in its own process. */
interface DuckDbRun {
  readonly seconds: number;
  readonly phases: Partial<Record<DuckDbPhase, number>>;
  readonly peakRssBytes: number;
  readonly cpuSeconds: number;
  readonly threads: number;
}

async function measureDuckdb(dir: string, outDir: string): Promise<DuckDbRun> {
  await mkdir(outDir, { recursive: true });
  // The twin's own time and CPU (every DuckDB thread), not this process's start-up.
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await duckdbMonth({ dir, month: BENCH_MONTH, outDir, threads });
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  return {
    seconds,
    phases: result.phases,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    cpuSeconds: (user + system) / 1e6,
    threads,
  };
}

/** Runs the DuckDB twin in a child process (its own peak RSS) and returns its measurement. */
function duckdbChild(dir: string, outDir: string): DuckDbRun {
  const out = execFileSync(
    process.execPath,
    [
      ...process.execArgv,
      process.argv[1] as string,
      ...['--measure', 'duckdb', '--dir', dir, '--out', outDir, '--duckdb-threads', String(threads)],
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(out) as DuckDbRun;
}

interface Result {
  readonly rows: number;
  readonly stats: BenchMonthStats;
  readonly payguard: PayguardRun;
  readonly duckdb: DuckDbRun;
  readonly agreement?: OutputAgreement;
  /** The month watch's outputs payguard did not write (its watch stopped): none when it completed. */
  readonly watchMissing?: readonly string[];
}

/**
 * The month watch's outputs a user gets in the output folder (`WATCH_OUTPUTS`: indicators,
 * anomalies, home-visit sample, cases, month page): DuckDB's month has no watch to compare with, so
 * the bench asks that payguard's completed — at 5M payees it once stopped (a call stack overflow)
 * while findings, release and close-out agreed.
 */
const WATCH_OUTPUT_FILES = (month: string) => Object.keys(WATCH_OUTPUTS(month));
const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

const fmt = (n: number, digits = 2) => n.toFixed(digits);
const int = (n: number) => Math.round(n).toLocaleString('en');
const mb = (bytes: number | undefined) => (bytes === undefined ? '?' : fmt(bytes / 2 ** 20, 0));
const partnerRowsOf = (stats: BenchMonthStats) => Object.values(stats.partnerRows).reduce((s, n) => s + n, 0);

/** Where each of payguard's steps has its DuckDB counterpart (the twin's staging reads every file). */
const DUCKDB_STEP: Partial<Record<Step | 'bucket to staged data', DuckDbPhase>> = {
  'bucket to staged data': 'staging',
  'checks up to the approval request': 'checks',
  release: 'release',
  'close-out': 'close-out',
};

function printSteps(r: Result): void {
  const { payguard: pg, duckdb } = r;
  const table = stepTable(pg.timings, pg.started, pg.ended);
  const twin = (step: Step | 'bucket to staged data') => {
    const phase = DUCKDB_STEP[step];
    const s = phase ? duckdb.phases[phase] : undefined;
    return s === undefined ? '' : `${fmt(s).padStart(8)}  (${phase})`;
  };
  const line = (label: string, seconds: number, invocations: string, twinText: string) =>
    console.log(
      `    ${label.padEnd(36)} ${fmt(seconds).padStart(8)} ${`${fmt((100 * seconds) / pg.seconds, 0)}%`.padStart(5)} ${invocations.padStart(6)}  ${twinText}`,
    );
  console.log(
    `    ${'step'.padEnd(36)} ${'payguard'.padStart(8)} ${'share'.padStart(5)} ${'tasks'.padStart(6)}  DuckDB`,
  );
  const loading: Step[] = ['loading the bucket', 'roster ingest', 'dataset staging'];
  for (const step of STEPS) {
    const { seconds, invocations } = table[step];
    if (seconds === 0 && invocations === 0) continue;
    line(step, seconds, invocations === 0 ? '' : String(invocations), twin(step));
    if (step === 'dataset staging') {
      const subtotal = loading.reduce((s, k) => s + table[k].seconds, 0);
      line('= bucket to staged data', subtotal, '', twin('bucket to staged data'));
    }
  }
  line('total', pg.seconds, String(pg.timings.length), `${fmt(duckdb.seconds).padStart(8)}`);
  console.log(
    '    (payguard: wall time from spawn to exit; while tasks run at once, their time is split evenly between them)',
  );
}

function printFunctions(r: Result): void {
  const functions = functionMemory(r.payguard.timings).sort((a, b) => b.seconds - a.seconds);
  if (functions.some((f) => f.largestInvocation !== undefined)) {
    printWorkerFunctions(functions);
    return;
  }
  console.log(
    "    per function — in-process engine: every handler runs in the one process, so a function's own peak\n" +
      '    memory cannot be isolated; shown is the process RSS around its invocations',
  );
  console.log(
    `    ${'function'.padEnd(34)} ${'calls'.padStart(5)} ${'total s'.padStart(8)} ${'longest s'.padStart(9)} ` +
      `${'RSS growth MB'.padStart(13)} ${'RSS after MB'.padStart(12)} ${'peak raised MB'.padStart(14)}`,
  );
  for (const f of functions) {
    console.log(
      `    ${`${f.workflow}/${f.state}`.padEnd(34)} ${String(f.invocations).padStart(5)} ${fmt(f.seconds).padStart(8)} ` +
        `${fmt(f.longestSeconds).padStart(9)} ${mb(f.largestRssGrowth).padStart(13)} ${mb(f.rssAfterLargest).padStart(12)} ` +
        `${mb(f.peakRaisedByLargest).padStart(14)}`,
    );
  }
  console.log(
    '    (RSS growth: the largest over one invocation; RSS after and peak raised: of that invocation)',
  );
}

/** The per-function table of a run whose handlers ran in Lambda-like workers: each invocation's own peak. */
function printWorkerFunctions(functions: readonly FunctionMemory[]): void {
  console.log('    per function — each invocation in a Lambda-like worker process, its peak memory its own');
  console.log(
    `    ${'function'.padEnd(34)} ${'calls'.padStart(5)} ${'total s'.padStart(8)} ${'CPU s'.padStart(6)} ${'longest s'.padStart(9)} ` +
      `${'peak MB'.padStart(8)} ${'at start MB'.padStart(11)}  largest invocation`,
  );
  for (const f of functions) {
    const largest = f.largestInvocation;
    console.log(
      `    ${`${f.workflow}/${f.state}`.padEnd(34)} ${String(f.invocations).padStart(5)} ${fmt(f.seconds).padStart(8)} ` +
        `${(f.cpuSeconds !== undefined ? fmt(f.cpuSeconds) : '').padStart(6)} ` +
        `${fmt(f.longestSeconds).padStart(9)} ${(largest ? mb(largest.peakRss) : '').padStart(8)} ` +
        `${(largest?.startRss !== undefined ? mb(largest.startRss) : '').padStart(11)}  ` +
        (largest ? `#${largest.index} of ${f.invocations}, ${fmt(largest.seconds)} s` : ''),
    );
  }
  console.log(
    "    (peak MB: the worker process's peak RSS during the function's largest invocation — its high-water mark\n" +
      "    reset, and what earlier invocations left collected, before each; at start MB: that worker's RSS as the\n" +
      '    invocation started — a worker serves any function, so this part was left by earlier invocations there\n' +
      '    (code, clients, heap pages V8 keeps); a worker is retired after an invocation over 1 GiB;\n' +
      "    total s counts from when a worker took it; CPU s: its workers' CPU time during its invocations)",
  );
}

async function benchOne(rows: number): Promise<Result> {
  const workDir = join(root, `e2e-${rows}`);
  const bucketDir = join(workDir, 'bucket');
  console.log(`\nend-to-end month of ${int(rows)} roster rows`);
  const t = performance.now();
  const stats = await writeBenchMonth(bucketDir, rows, {
    bankReturns: true,
    markerPath: join(workDir, 'generated.json'),
  });
  console.log(
    `  data: ${int(stats.rosterRows)} roster rows (${int(stats.payees)} people, ${stats.batches.length} batches, CSV UTF-8), ` +
      `${int(stats.registryRows)} registry rows, ${int(partnerRowsOf(stats))} partner rows, ` +
      `${int(stats.bank?.lines ?? 0)} bank return lines; ${fmt(stats.bytes / 1e6, 0)} MB of CSV in ${bucketDir} ` +
      `(${stats.reused ? 'generated before' : `generated in ${fmt((performance.now() - t) / 1000, 1)} s`})`,
  );
  const payguardOut = join(workDir, 'payguard');
  const pg = await runPayguard({
    bucketDir,
    month: BENCH_MONTH,
    outDir: payguardOut,
    workDir,
    seed: SAMPLE_SEED,
  });
  console.log(
    `  payguard  npm start -- run … --approve auto: ${fmt(pg.seconds)} s, CPU ${fmt(pg.cpuSeconds, 1)} s, ` +
      `peak RSS ${mb(pg.peakRssBytes)} MB (of its largest single process, ${pg.peakProcess ?? '?'}; ${pg.processes} Node processes, ` +
      `${pg.workerProcesses} of them Lambda workers; log ${pg.logPath})`,
  );
  const duckdbOut = join(workDir, 'duckdb');
  const duckdb = duckdbChild(bucketDir, duckdbOut);
  console.log(
    `  DuckDB    the contract as SQL, ${duckdb.threads} thread${duckdb.threads > 1 ? 's' : ''}: ${fmt(duckdb.seconds)} s, ` +
      `CPU ${fmt(duckdb.cpuSeconds, 1)} s, peak RSS ${mb(duckdb.peakRssBytes)} MB`,
  );
  console.log(
    `  ratio payguard / DuckDB: ${fmt(pg.seconds / duckdb.seconds)} (wall), ${fmt(pg.cpuSeconds / duckdb.cpuSeconds)} (CPU)`,
  );
  if (pg.exitCode !== 0) {
    const log = (await readFile(pg.logPath, 'utf8')).trimEnd().split('\n').slice(-5).join('\n    ');
    console.log(`  PAYGUARD FAILED (exit ${pg.exitCode}):\n    ${log}`);
    return { rows, stats, payguard: pg, duckdb };
  }
  const agreement = await compareOutputs(
    {
      findings: join(payguardOut, 'findings.csv'),
      release: join(payguardOut, 'release.csv'),
      closeout: join(payguardOut, 'closeout.csv'),
    },
    {
      findings: join(duckdbOut, DUCKDB_OUTPUTS.findings),
      release: join(duckdbOut, DUCKDB_OUTPUTS.release),
      closeout: join(duckdbOut, DUCKDB_OUTPUTS.closeout),
    },
  );
  for (const [name, c] of [
    ['findings', agreement.findings],
    ['release', agreement.release],
    ['close-out', agreement.closeout],
  ] as const) {
    console.log(`  ${c.same ? 'same' : 'DIFFERENT'} ${name}: ${c.note}`);
  }
  const expected = stats.bank?.expectedPayments;
  if (expected !== undefined) {
    console.log(
      `  the generator's model of the release (which the bank file follows): ${expected === agreement.release.rows ? 'exact' : `${int(expected)} payments expected, ${int(agreement.release.rows)} released`}`,
    );
  }
  const watchMissing: string[] = [];
  for (const name of WATCH_OUTPUT_FILES(BENCH_MONTH)) {
    if (!(await exists(join(payguardOut, name)))) watchMissing.push(name);
  }
  console.log(
    watchMissing.length === 0
      ? `  month watch: completed (${WATCH_OUTPUT_FILES(BENCH_MONTH).join(', ')})`
      : `  MONTH WATCH DID NOT COMPLETE: no ${watchMissing.join(', ')} (see the log)`,
  );
  printSteps({ rows, stats, payguard: pg, duckdb });
  printFunctions({ rows, stats, payguard: pg, duckdb });
  return { rows, stats, payguard: pg, duckdb, agreement, watchMissing };
}

function printSummary(results: readonly Result[]): void {
  console.log(
    `\nend-to-end summary (payguard run vs DuckDB SQL on ${threads} thread${threads > 1 ? 's' : ''}, same bench run):`,
  );
  console.log(
    `  ${'roster rows'.padStart(11)} ${'partner rows'.padStart(12)} ${'payguard s'.padStart(10)} ${'DuckDB s'.padStart(8)} ` +
      `${'ratio'.padStart(5)} ${'CPU ratio'.padStart(9)} ${'payguard RSS MB'.padStart(15)} ${'DuckDB RSS MB'.padStart(13)}  outputs`,
  );
  for (const r of results) {
    const outputs =
      r.agreement === undefined
        ? 'payguard FAILED'
        : `${r.agreement.same ? 'agree' : 'DIFFER'}${(r.watchMissing?.length ?? 0) > 0 ? ', watch FAILED' : ''}`;
    console.log(
      `  ${int(r.rows).padStart(11)} ${int(partnerRowsOf(r.stats)).padStart(12)} ${fmt(r.payguard.seconds).padStart(10)} ` +
        `${fmt(r.duckdb.seconds).padStart(8)} ${fmt(r.payguard.seconds / r.duckdb.seconds).padStart(5)} ` +
        `${fmt(r.payguard.cpuSeconds / r.duckdb.cpuSeconds).padStart(9)} ` +
        `${mb(r.payguard.peakRssBytes).padStart(15)} ${mb(r.duckdb.peakRssBytes).padStart(13)}  ${outputs}`,
    );
  }
  const first = results[0];
  const last = results.at(-1);
  if (first === undefined || last === undefined) return;
  const targets = [
    `ratio ≤ 1.0 ${last.payguard.seconds <= last.duckdb.seconds ? 'met' : 'MISSED'}`,
    `payguard peak RSS (largest single process) ≤ 2048 MB ${(last.payguard.peakRssBytes ?? Number.POSITIVE_INFINITY) <= 2 ** 31 ? 'met' : 'MISSED'}`,
  ];
  const invocations = functionMemory(last.payguard.timings).flatMap((f) =>
    f.largestInvocation ? [{ name: `${f.workflow}/${f.state}`, peak: f.largestInvocation.peakRss }] : [],
  );
  const largest = invocations.sort((a, b) => b.peak - a.peak)[0];
  if (largest) {
    targets.push(
      `largest invocation ${mb(largest.peak)} MB (${largest.name}) ≤ 1536 MB ${largest.peak <= 1.5 * 2 ** 30 ? 'met' : 'MISSED'}`,
    );
  }
  if (last !== first) {
    const growth = last.rows / first.rows;
    const pgGrowth = last.payguard.seconds / first.payguard.seconds;
    console.log(
      `  growth ${int(first.rows)} → ${int(last.rows)} rows (×${fmt(growth, 1)}): payguard time ×${fmt(pgGrowth)} ` +
        `(CPU ×${fmt(last.payguard.cpuSeconds / first.payguard.cpuSeconds)}), ` +
        `DuckDB ×${fmt(last.duckdb.seconds / first.duckdb.seconds)} (CPU ×${fmt(last.duckdb.cpuSeconds / first.duckdb.cpuSeconds)})`,
    );
    targets.push(
      `growth ≤ ×${fmt(1.1 * growth, 1)} (1.1× linear) ${pgGrowth <= 1.1 * growth ? 'met' : 'MISSED'}`,
    );
  }
  console.log(`  targets of issue 13 at ${int(last.rows)} rows: ${targets.join('; ')}`);
}

/** A wrong option: said in one line, without a stack. */
class UsageError extends Error {}

async function main(): Promise<void> {
  if (values.measure === 'duckdb') {
    process.stdout.write(JSON.stringify(await measureDuckdb(values.dir as string, values.out as string)));
    return;
  }
  if (!(Number.isSafeInteger(threads) && threads >= 1)) {
    throw new UsageError(`--duckdb-threads takes a number of threads, got "${values['duckdb-threads']}"`);
  }
  const sizes = (values.payees ?? '').split(',').map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isSafeInteger(n) || n < 1000)) {
    throw new Error(
      `--payees takes roster row counts of at least 1000, comma-separated; got "${values.payees}"`,
    );
  }
  const results: Result[] = [];
  for (const rows of sizes) results.push(await benchOne(rows));
  printSummary(results);
  if (results.some((r) => r.agreement?.same !== true || (r.watchMissing?.length ?? 0) > 0))
    process.exitCode = 1;
}

await main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof UsageError ? `npm run bench -- e2e: ${error.message}\n` : `${(error as Error).stack}\n`,
  );
  process.exitCode = 1;
});
