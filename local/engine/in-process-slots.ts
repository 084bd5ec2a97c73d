import { availableParallelism } from 'node:os';
import { TaskTimedOut } from './task-timeouts.ts';

/**
 * Lambda invocations run in the engine's own process, at most `size` at once, each Task state's
 * `TimeoutSeconds` counted from when its invocation got a slot. In AWS every invocation has a CPU
 * of its own; in one process they share one thread, and unbounded they all slow down together: at
 * 5M payees the 27 ingests a bucket load starts ran interleaved on that thread, and two partner
 * stagings that take ~15 CPU-seconds each passed their 900 s `TimeoutSeconds` on a loaded machine
 * (the library's timer runs from when the state starts). Bounded, an invocation's wall time stays
 * near its own work, as in Lambda. A handler in this process cannot be stopped as Lambda stops a
 * timed-out environment: its Task fails with `States.Timeout` at the deadline, and the work it
 * left running keeps its slot until it settles, so the thread is never shared by more than `size`.
 */
export class InProcessSlots {
  readonly size: number;
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  /** @param size invocations at once; the machine's cores by default, at least 1. */
  constructor(size: number = availableParallelism()) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`slots must be a whole number >= 1, got ${size}`);
    this.size = size;
  }

  /** Invocations running now (for tests). */
  get running(): number {
    return this.#running;
  }

  /**
   * Runs `work` once a slot is free. With `timeoutSeconds`, the returned promise rejects with
   * `States.Timeout` that long after `work` started if it has not settled by then.
   */
  async run<T>(state: string, work: () => Promise<T>, timeoutSeconds?: number): Promise<T> {
    if (this.#running >= this.size) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#running++;
    const running = Promise.resolve()
      .then(work)
      .finally(() => {
        this.#running--;
        this.#waiting.shift()?.();
      });
    if (timeoutSeconds === undefined) return running;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TaskTimedOut(state, timeoutSeconds)), timeoutSeconds * 1000);
    });
    // The work left running after its deadline must not surface as an unhandled rejection.
    running.catch(() => undefined);
    try {
      return await Promise.race([running, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}
