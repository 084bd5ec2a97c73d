import { appendFileSync } from 'node:fs';

/**
 * One Task invocation of the local engine, as `PAYGUARD_TIMINGS` records it (one NDJSON line
 * each). Times are epoch milliseconds (fractional); memory in bytes. `rss*` and `maxRss*` are of
 * the engine's process (where in-process handlers run); `peakRss` is of the invocation's own
 * process when it ran in a Lambda-like worker.
 */
export interface TaskTiming {
  readonly workflow: string;
  readonly state: string;
  /** The handler module, `functions/{function}.ts`. */
  readonly function: string;
  /** When the handler started: for a worker's invocation, when a worker took it. */
  readonly start: number;
  /** When the engine invoked it, if it then waited for a worker (a bounded pool's turn). */
  readonly requested?: number;
  readonly end: number;
  /** The handler returned (false: it threw). */
  readonly ok: boolean;
  /** Process resident set size when the invocation started and ended. */
  readonly rssBefore: number;
  readonly rssAfter: number;
  /** The process's peak resident set size so far (getrusage maxrss) when it started and ended. */
  readonly maxRssBefore: number;
  readonly maxRssAfter: number;
  /**
   * The peak resident set size of the worker process that ran the invocation, during it (its
   * high-water mark reset before it); absent when the handler ran in the engine's process.
   */
  readonly peakRss?: number;
  /** That worker's RSS as the invocation started (left there by earlier invocations: part of `peakRss`). */
  readonly startRss?: number;
  /**
   * CPU time (user and system, microseconds) of the worker process during the invocation: unlike
   * its wall time, not stretched by other processes sharing the cores; absent in the engine's process.
   */
  readonly cpuUs?: number;
  /** The process that ran the handler (a worker's, or the engine's). */
  readonly pid?: number;
}

/** A handler's invocation as the engine sees it: its result and, from a worker, its memory. */
export interface TaskRun {
  readonly result: unknown;
  /** The peak RSS of the invocation's own process during it, when it had one (a worker). */
  readonly peakRss?: number;
  readonly startRss?: number;
  readonly cpuUs?: number;
  readonly pid?: number;
  /** When the handler started, if it waited its turn after the invocation (epoch ms). */
  readonly started?: number;
}

type Invoke = (payload: unknown) => Promise<unknown>;

const now = () => performance.timeOrigin + performance.now();
const maxRss = () => process.resourceUsage().maxRSS * 1024;

/**
 * `invoke` timed: with `PAYGUARD_TIMINGS=FILE` in the environment, every invocation appends a
 * {@link TaskTiming} line to FILE (the end-to-end bench's per-step table reads it); without it,
 * `invoke` itself. Off by default, so a run pays nothing for it.
 */
export function timedTask(
  task: { workflow: string; state: string; functionModule: string },
  invoke: (payload: unknown) => Promise<TaskRun>,
): Invoke {
  const file = process.env.PAYGUARD_TIMINGS;
  if (!file) return async (payload) => (await invoke(payload)).result;
  return async (payload) => {
    const start = now();
    const rssBefore = process.memoryUsage.rss();
    const maxRssBefore = maxRss();
    let ok = false;
    let run: TaskRun | undefined;
    try {
      run = await invoke(payload);
      ok = true;
      return run.result;
    } finally {
      const timing: TaskTiming = {
        workflow: task.workflow,
        state: task.state,
        function: task.functionModule,
        start: run?.started ?? start,
        ...(run?.started !== undefined ? { requested: start } : {}),
        end: now(),
        ok,
        rssBefore,
        rssAfter: process.memoryUsage.rss(),
        maxRssBefore,
        maxRssAfter: maxRss(),
        ...(run?.peakRss !== undefined ? { peakRss: run.peakRss } : {}),
        ...(run?.startRss !== undefined ? { startRss: run.startRss } : {}),
        ...(run?.cpuUs !== undefined ? { cpuUs: run.cpuUs } : {}),
        ...(run?.pid !== undefined ? { pid: run.pid } : {}),
      };
      // Synchronous: a month has a few hundred invocations, and a line must survive process.exit.
      appendFileSync(file, `${JSON.stringify(timing)}\n`);
    }
  };
}
