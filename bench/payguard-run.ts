import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { TaskTiming } from '#local/engine/task-timings.ts';

const ROOT = join(import.meta.dirname, '..');
const PRELOAD = join(import.meta.dirname, 'process-usage.cjs');

/** One Node process of the command, as `process-usage.cjs` recorded it at its exit. */
export interface ProcessUsage {
  readonly pid: number;
  readonly argv: readonly string[];
  readonly maxRssKb: number;
  readonly cpuUs: number;
}

/**
 * The process of the run with the largest peak RSS, and that peak. A worker resets its peak (VmHWM,
 * through /proc/self/clear_refs) before each invocation, and that also resets what getrusage reports
 * at its exit: its own line then holds only the peak since its last invocation began. Its
 * invocations' peaks (`peakRss` of the timings it ran) make up the rest.
 */
export function largestProcess(
  usage: readonly ProcessUsage[],
  timings: readonly Pick<TaskTiming, 'pid' | 'peakRss'>[],
): { peakKb: number; peak: ProcessUsage | undefined } {
  const invocationPeakKb = new Map<number, number>();
  for (const t of timings) {
    if (t.pid === undefined || t.peakRss === undefined) continue;
    invocationPeakKb.set(t.pid, Math.max(invocationPeakKb.get(t.pid) ?? 0, t.peakRss / 1024));
  }
  const peakKbOf = (u: ProcessUsage) => Math.max(u.maxRssKb, invocationPeakKb.get(u.pid) ?? 0);
  const peakKb = Math.max(0, ...usage.map(peakKbOf));
  return { peakKb, peak: usage.find((u) => peakKbOf(u) === peakKb) };
}

/** What a process of a run was, by the script it ran: a worker runs its sources or its bundle. */
export const processName = (u: Pick<ProcessUsage, 'argv'>): string => {
  const script = u.argv[0] ?? '';
  if (/(^|\/)lambda-worker-main\.(ts|mjs)$/.test(script)) return 'a Lambda worker';
  if (u.argv.some((a) => a.endsWith('local/cli/main.ts'))) return 'the CLI';
  return script.split('/').at(-1) ?? script;
};

/** A timed `run` of the CLI. */
export interface PayguardRun {
  readonly exitCode: number;
  /** Epoch milliseconds: spawned, exited. */
  readonly started: number;
  readonly ended: number;
  readonly seconds: number;
  /**
   * The largest peak resident set size of any one of the command's Node processes — the CLI's, or
   * one of its Lambda-like workers (the wrappers in front of it, `scripts/node24.mjs` and tsx, are
   * small) — what `/usr/bin/time` reports for one process. Not the peak of their sum: processes
   * run at once, and their peaks need not coincide. Undefined when no process recorded it.
   */
  readonly peakRssBytes?: number;
  /** Which process had that peak: `the CLI`, `a Lambda worker`, or the script it ran. */
  readonly peakProcess?: string;
  /** How many of the processes were the local engine's Lambda-like workers. */
  readonly workerProcesses: number;
  /** User + system CPU time of all its processes, the workers' included. */
  readonly cpuSeconds: number;
  readonly processes: number;
  /** Every Task invocation of the local engine (`PAYGUARD_TIMINGS`). */
  readonly timings: readonly TaskTiming[];
  readonly logPath: string;
}

const readNdjson = async <T>(path: string): Promise<T[]> =>
  (await readFile(path, 'utf8').catch(() => ''))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);

/**
 * Runs a month as a user does — `npm start -- run --data DIR --month M --out OUT --approve auto
 * --seed S`, i.e. `node scripts/node24.mjs tsx local/cli/main.ts run …` — in a child process, and
 * measures it from outside: wall time from spawn to exit, the peak RSS and CPU time of its
 * processes (a preload records them at exit), and every Task invocation (`PAYGUARD_TIMINGS`).
 * Output goes to `workDir/payguard.log`.
 */
export async function runPayguard(o: {
  bucketDir: string;
  month: string;
  outDir: string;
  workDir: string;
  seed: string;
}): Promise<PayguardRun> {
  const logPath = join(o.workDir, 'payguard.log');
  const usagePath = join(o.workDir, 'payguard-usage.ndjson');
  const timingsPath = join(o.workDir, 'payguard-timings.ndjson');
  await Promise.all([usagePath, timingsPath, o.outDir].map((p) => rm(p, { recursive: true, force: true })));
  const log = openSync(logPath, 'w');
  const env = {
    ...process.env,
    // As npm puts them there for `npm start`.
    PATH: `${join(ROOT, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require "${PRELOAD}"`.trim(),
    BENCH_USAGE_FILE: usagePath,
    PAYGUARD_TIMINGS: timingsPath,
  };
  const args = [
    ...['scripts/node24.mjs', 'tsx', 'local/cli/main.ts', 'run', '--data', o.bucketDir, '--month', o.month],
    ...['--out', o.outDir, '--approve', 'auto', '--seed', o.seed],
  ];
  const started = Date.now();
  const exitCode = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', log, log] });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  }).finally(() => closeSync(log));
  const ended = Date.now();
  const usage = await readNdjson<ProcessUsage>(usagePath);
  const timings = (await readNdjson<TaskTiming>(timingsPath)).sort((a, b) => a.start - b.start);
  const { peakKb, peak } = largestProcess(usage, timings);
  return {
    exitCode,
    started,
    ended,
    seconds: (ended - started) / 1000,
    ...(peakKb > 0 ? { peakRssBytes: peakKb * 1024 } : {}),
    ...(peak ? { peakProcess: processName(peak) } : {}),
    workerProcesses: usage.filter((u) => processName(u) === 'a Lambda worker').length,
    cpuSeconds: usage.reduce((s, u) => s + u.cpuUs, 0) / 1e6,
    processes: usage.length,
    timings,
    logPath,
  };
}
