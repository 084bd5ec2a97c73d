import type { TaskTiming } from '#local/engine/task-timings.ts';

/** The steps of a month, as issue 13 groups them (in the order a month goes through them). */
export const STEPS = [
  'start-up',
  'loading the bucket',
  'roster ingest',
  'dataset staging',
  'checks up to the approval request',
  'approval',
  'release',
  'close-out',
  'month watch',
  'outputs, shut-down',
  'between tasks',
  'other tasks',
] as const;
export type Step = (typeof STEPS)[number];

/** The step a Task invocation belongs to, by its workflow and state. */
export function stepOf(t: Pick<TaskTiming, 'workflow' | 'state'>): Step {
  switch (t.workflow) {
    case 'ingest':
      return 'roster ingest';
    case 'dataset-ingest':
      return 'dataset staging';
    case 'bank-returns':
      return 'close-out';
    case 'month-watch':
      return 'month watch';
    case 'month-run':
      if (t.state === 'ReleaseMonth') return 'release';
      if (t.state === 'AwaitBankReturns' || t.state === 'CloseOut') return 'close-out';
      if (t.state === 'HoldMonth' || t.state === 'RecordMonthFailure') return 'other tasks';
      return 'checks up to the approval request';
    default:
      return 'other tasks';
  }
}

/** Seconds and Task invocations per step; the seconds add up to the run's wall time. */
export type StepTable = Record<Step, { seconds: number; invocations: number }>;

/**
 * Splits a run's wall time (`started` to `ended`, epoch ms) between the steps of {@link STEPS}.
 * While Task invocations are in flight, each instant is split evenly between them (the in-process
 * engine runs them on one thread, interleaved) and goes to their steps; an instant with none in
 * flight goes, by where it falls, to start-up (before the first task: Node, tsx, the embedded stack
 * and the first file's upload), loading the bucket (before the month run's first task: the uploads
 * between the ingest and staging tasks they start), approval (between the approval request and the
 * release), outputs and shut-down (after the last task), or else between tasks (the engine, the
 * event loop, the approval site's requests).
 */
export function stepTable(timings: readonly TaskTiming[], started: number, ended: number): StepTable {
  const table = Object.fromEntries(STEPS.map((s) => [s, { seconds: 0, invocations: 0 }])) as StepTable;
  for (const t of timings) table[stepOf(t)].invocations++;
  const firstTask = Math.min(...timings.map((t) => t.start), ended);
  const monthRun = timings.filter((t) => t.workflow === 'month-run');
  const firstMonthTask = Math.min(...monthRun.map((t) => t.start), ended);
  const approvalAsked = Math.max(
    ...monthRun.filter((t) => t.state === 'RequestApproval').map((t) => t.end),
    Number.NEGATIVE_INFINITY,
  );
  const released = Math.min(
    ...monthRun.filter((t) => t.state === 'ReleaseMonth').map((t) => t.start),
    Number.POSITIVE_INFINITY,
  );
  const lastTask = Math.max(...timings.map((t) => t.end), started);
  const gapStep = (at: number): Step => {
    if (at < firstTask) return 'start-up';
    if (at < firstMonthTask) return 'loading the bucket';
    if (at >= lastTask) return 'outputs, shut-down';
    if (at >= approvalAsked && at < released) return 'approval';
    return 'between tasks';
  };
  const bounds = [
    ...new Set(
      [started, ended, ...timings.flatMap((t) => [t.start, t.end])].map((b) =>
        Math.min(Math.max(b, started), ended),
      ),
    ),
  ].sort((a, b) => a - b);
  for (let i = 0; i + 1 < bounds.length; i++) {
    const from = bounds[i] as number;
    const to = bounds[i + 1] as number;
    const inFlight = timings.filter((t) => t.start <= from && t.end >= to);
    const seconds = (to - from) / 1000;
    if (inFlight.length === 0) table[gapStep(from)].seconds += seconds;
    else for (const t of inFlight) table[stepOf(t)].seconds += seconds / inFlight.length;
  }
  return table;
}

/** Per function (Task state): its invocations and the one that grew the process's memory most. */
export interface FunctionMemory {
  readonly state: string;
  readonly workflow: string;
  readonly invocations: number;
  readonly seconds: number;
  /**
   * CPU time of its invocations in their workers (`TaskTiming.cpuUs`), unlike `seconds` not
   * stretched by what else ran on the cores; undefined when the handlers ran in the engine's process.
   */
  readonly cpuSeconds?: number;
  readonly longestSeconds: number;
  /** The largest growth of the process RSS over one of its invocations. */
  readonly largestRssGrowth: number;
  /** The process RSS at the end of that invocation. */
  readonly rssAfterLargest: number;
  /** How far that invocation raised the process's peak RSS. */
  readonly peakRaisedByLargest: number;
  /**
   * When the handlers ran in Lambda-like workers: the largest peak RSS of one invocation's own
   * process during it (`TaskTiming.peakRss`), which invocation it was (1-based, in start order)
   * and how long it ran.
   */
  readonly largestInvocation?: {
    readonly peakRss: number;
    /** Its worker's RSS as it started (what earlier invocations left in that process). */
    readonly startRss?: number;
    readonly index: number;
    readonly seconds: number;
  };
}

/**
 * The per-function table. When the handlers ran in Lambda-like workers, each invocation's own peak
 * RSS is known and the largest is reported. The in-process engine runs every handler in one
 * process, so there a function's own peak memory cannot be isolated: the table reports what can be
 * measured honestly, the process RSS around each invocation and how far it raised the process's peak.
 */
export function functionMemory(timings: readonly TaskTiming[]): FunctionMemory[] {
  const byState = new Map<string, TaskTiming[]>();
  for (const t of timings) {
    const key = `${t.workflow}/${t.state}`;
    byState.set(key, [...(byState.get(key) ?? []), t]);
  }
  return [...byState.values()].map((list) => {
    const largest = list.reduce((a, b) => (b.rssAfter - b.rssBefore > a.rssAfter - a.rssBefore ? b : a));
    const first = list[0] as TaskTiming;
    const measured = list.filter((t) => t.peakRss !== undefined);
    const peak = measured.reduce<TaskTiming | undefined>(
      (a, b) => (a === undefined || (b.peakRss ?? 0) > (a.peakRss ?? 0) ? b : a),
      undefined,
    );
    const withCpu = list.filter((t) => t.cpuUs !== undefined);
    return {
      state: first.state,
      workflow: first.workflow,
      invocations: list.length,
      seconds: list.reduce((s, t) => s + (t.end - t.start) / 1000, 0),
      ...(withCpu.length > 0 ? { cpuSeconds: withCpu.reduce((s, t) => s + (t.cpuUs ?? 0) / 1e6, 0) } : {}),
      longestSeconds: Math.max(...list.map((t) => (t.end - t.start) / 1000)),
      largestRssGrowth: largest.rssAfter - largest.rssBefore,
      rssAfterLargest: largest.rssAfter,
      peakRaisedByLargest: largest.maxRssAfter - largest.maxRssBefore,
      ...(peak?.peakRss !== undefined
        ? {
            largestInvocation: {
              peakRss: peak.peakRss,
              ...(peak.startRss !== undefined ? { startRss: peak.startRss } : {}),
              index: [...list].sort((a, b) => a.start - b.start).indexOf(peak) + 1,
              seconds: (peak.end - peak.start) / 1000,
            },
          }
        : {}),
    };
  });
}
