/**
 * A Lambda Task's `TimeoutSeconds`, kept by the engine instead of aws-local-stepfunctions when the
 * handlers run in a bounded pool of workers: the library's timer starts when the state starts, so
 * an invocation waiting for a free worker (in AWS there is no such wait: every invocation gets an
 * execution environment at once) would time out before it ran — at 5M payees, the 22 ingests a
 * bucket load starts wait minutes behind the staging of partner files. The pool starts the timer
 * when a worker takes the invocation and fails it with `States.Timeout`, as Step Functions does.
 */
type States = Record<string, Record<string, unknown>>;

/**
 * What the named Task states' `TimeoutSeconds` becomes for the library: its timer must not fire.
 * Taking the field out is not enough: aws-local-stepfunctions then times a Task out after 60 s
 * (its `DEFAULT_TIMEOUT_SECONDS`), so at 5M payees every RegisterUpload queued a minute behind
 * partner staging failed with `States.Timeout`. Node's `setTimeout` takes at most 2^31 − 1 ms (a
 * longer delay fires at once), so this is the largest whole number of seconds under that.
 */
export const LIBRARY_TIMER_OFF_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** The definition with the library's timer off on the named Task states, and their `TimeoutSeconds` by state. */
export function withoutTaskTimeouts<D>(
  definition: D,
  states: ReadonlySet<string>,
): { definition: D; timeouts: Map<string, number> } {
  const timeouts = new Map<string, number>();
  const strip = (graph: unknown): unknown => {
    if (graph === null || typeof graph !== 'object' || !('States' in graph)) return graph;
    const all = (graph as { States: States }).States;
    const next: States = {};
    for (const [name, state] of Object.entries(all)) {
      let copy: Record<string, unknown> = { ...state };
      if (states.has(name) && typeof copy.TimeoutSeconds === 'number') {
        const seconds = copy.TimeoutSeconds;
        const known = timeouts.get(name);
        if (known !== undefined && known !== seconds)
          throw new Error(`Task state ${name} appears twice with different TimeoutSeconds`);
        timeouts.set(name, seconds);
        copy = { ...copy, TimeoutSeconds: LIBRARY_TIMER_OFF_SECONDS };
      }
      if (copy.ItemProcessor !== undefined) copy.ItemProcessor = strip(copy.ItemProcessor);
      if (copy.Iterator !== undefined) copy.Iterator = strip(copy.Iterator);
      if (Array.isArray(copy.Branches)) copy.Branches = copy.Branches.map(strip);
      next[name] = copy;
    }
    return { ...graph, States: next };
  };
  return { definition: strip(definition) as D, timeouts };
}

/** The error a Task fails with when its function ran past the state's `TimeoutSeconds`. */
export class TaskTimedOut extends Error {
  constructor(state: string, seconds: number) {
    super(`${state}: the function ran past the state's TimeoutSeconds (${seconds} s)`);
    this.name = 'States.Timeout';
  }
}
