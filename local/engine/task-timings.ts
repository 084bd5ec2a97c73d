import { appendFileSync } from 'node:fs';

/**
 * One Task invocation of the local engine, as `PAYGUARD_TIMINGS` records it (one NDJSON line
 * each). Times are epoch milliseconds (fractional); memory is of the whole process in bytes, since
 * the in-process engine runs every handler in one process.
 */
export interface TaskTiming {
  readonly workflow: string;
  readonly state: string;
  /** The handler module, `functions/{function}.ts`. */
  readonly function: string;
  readonly start: number;
  readonly end: number;
  /** The handler returned (false: it threw). */
  readonly ok: boolean;
  /** Process resident set size when the invocation started and ended. */
  readonly rssBefore: number;
  readonly rssAfter: number;
  /** The process's peak resident set size so far (getrusage maxrss) when it started and ended. */
  readonly maxRssBefore: number;
  readonly maxRssAfter: number;
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
  invoke: Invoke,
): Invoke {
  const file = process.env.PAYGUARD_TIMINGS;
  if (!file) return invoke;
  return async (payload) => {
    const start = now();
    const rssBefore = process.memoryUsage.rss();
    const maxRssBefore = maxRss();
    let ok = false;
    try {
      const result = await invoke(payload);
      ok = true;
      return result;
    } finally {
      const timing: TaskTiming = {
        workflow: task.workflow,
        state: task.state,
        function: task.functionModule,
        start,
        end: now(),
        ok,
        rssBefore,
        rssAfter: process.memoryUsage.rss(),
        maxRssBefore,
        maxRssAfter: maxRss(),
      };
      // Synchronous: a month has a few hundred invocations, and a line must survive process.exit.
      appendFileSync(file, `${JSON.stringify(timing)}\n`);
    }
  };
}
