import { randomBytes } from 'node:crypto';

/** A callback task waiting for `SendTaskSuccess` / `SendTaskFailure`. */
export interface PendingTask {
  readonly token: string;
  readonly executionArn: string;
  /** Name of the Task state that waits. */
  readonly state: string;
  /** When the token was minted. */
  readonly since: Date;
}

/** What happened to a token; `onChange` listeners receive one per transition. */
export interface TaskTokenChange {
  readonly type: 'pending' | 'succeeded' | 'failed';
  readonly task: PendingTask;
}

/** Error codes of the Step Functions API that the broker reproduces. */
export type TaskTokenErrorCode = 'TaskDoesNotExist' | 'TaskTimedOut';

/**
 * A token the broker cannot settle. `name` equals `code`, like the SDK's errors, so callers test
 * `error.name === 'TaskTimedOut'` in-process and over the wire alike.
 */
export class TaskTokenError extends Error {
  constructor(
    readonly code: TaskTokenErrorCode,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/** Error names a settled callback task rejects with when the broker, not a worker, ends it. */
export const ABORTED_ERROR = 'States.Aborted';
export const TIMEOUT_ERROR = 'States.Timeout';
const DEFAULT_FAILURE_ERROR = 'States.TaskFailed';

interface Entry {
  readonly task: PendingTask;
  readonly resolve: (output: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout | undefined;
}

/** AWS task tokens are opaque base64 strings several hundred characters long. */
function mintToken(): string {
  return randomBytes(288).toString('base64');
}

function taskError(name: string, cause: string): Error {
  const error = new Error(cause);
  error.name = name;
  return error;
}

/**
 * The local side of `.waitForTaskToken`: mints task tokens for callback Task states and settles the
 * promise the engine waits on when a worker reports success or failure. Settled tokens are
 * remembered so a second report answers `TaskTimedOut`, as Step Functions does for a closed task.
 */
export class TaskTokenBroker {
  private readonly open = new Map<string, Entry>();
  private readonly closed = new Map<string, PendingTask>();
  private readonly listeners = new Set<(change: TaskTokenChange) => void>();

  /**
   * Mints a token for the Task state `meta.state` of `meta.executionArn` and records it pending.
   * `settled` resolves with the parsed output of `succeed`, or rejects with an `Error` whose `name`
   * is the ASL error of `fail` (or `States.Aborted` / `States.Timeout`). With `timeoutSeconds`,
   * the token times out like a state's `TimeoutSeconds`: later reports answer `TaskTimedOut`.
   */
  await(meta: { executionArn: string; state: string; timeoutSeconds?: number }): {
    token: string;
    settled: Promise<unknown>;
  } {
    const token = mintToken();
    const task: PendingTask = {
      token,
      executionArn: meta.executionArn,
      state: meta.state,
      since: new Date(),
    };
    let resolve!: (output: unknown) => void;
    let reject!: (error: Error) => void;
    const settled = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // The engine may abandon the promise (execution stopped, state timed out): never let a late
    // rejection become an unhandled one. Awaiting `settled` still observes the rejection.
    settled.catch(() => undefined);
    const timer =
      meta.timeoutSeconds === undefined
        ? undefined
        : setTimeout(
            () => this.settle(token, 'failed', (e) => e.reject(taskError(TIMEOUT_ERROR, 'Task timed out'))),
            meta.timeoutSeconds * 1000,
          ).unref();
    this.open.set(token, { task, resolve, reject, timer });
    this.emit({ type: 'pending', task });
    return { token, settled };
  }

  /** Completes the task with `outputJson` (a JSON text), like `SendTaskSuccess`. */
  succeed(token: string, outputJson: string): void {
    const output: unknown = JSON.parse(outputJson);
    this.settle(token, 'succeeded', (entry) => entry.resolve(output));
  }

  /** Fails the task with ASL error `error` (default `States.TaskFailed`), like `SendTaskFailure`. */
  fail(token: string, error?: string, cause?: string): void {
    this.settle(token, 'failed', (entry) =>
      entry.reject(taskError(error || DEFAULT_FAILURE_ERROR, cause ?? '')),
    );
  }

  /** Checks the token is still open, like `SendTaskHeartbeat` (the local engine has no heartbeats). */
  heartbeat(token: string): void {
    this.entry(token);
  }

  /** The tokens still waiting, oldest first. */
  pending(): PendingTask[] {
    return [...this.open.values()].map((entry) => entry.task);
  }

  /**
   * Calls `listener` whenever a token becomes pending or settled, after the broker's state has
   * changed. Returns the unsubscribe function. A throwing listener is reported as a process
   * warning and does not disturb the broker or the other listeners.
   */
  onChange(listener: (change: TaskTokenChange) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Resolves with the pending tasks as soon as `predicate(pending())` holds (checked now and on
   * every change), e.g. "execution X waits at state Y". Rejects with the signal's reason on abort,
   * or with what the predicate throws.
   */
  waitFor(
    predicate: (pending: PendingTask[]) => boolean,
    options: { signal?: AbortSignal } = {},
  ): Promise<PendingTask[]> {
    const { signal } = options;
    return new Promise<PendingTask[]>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      let unsubscribe = (): void => undefined;
      const onAbort = (): void => {
        unsubscribe();
        reject(signal?.reason);
      };
      const finish = (): void => {
        unsubscribe();
        signal?.removeEventListener('abort', onAbort);
      };
      const check = (): void => {
        try {
          const pending = this.pending();
          if (!predicate(pending)) return;
          finish();
          resolve(pending);
        } catch (error) {
          finish();
          reject(error);
        }
      };
      unsubscribe = this.onChange(check);
      signal?.addEventListener('abort', onAbort, { once: true });
      check();
    });
  }

  /**
   * Rejects every pending token of `executionArn` with `States.Aborted`, as when the run is stopped.
   * Returns how many tokens it closed.
   */
  cancelExecution(executionArn: string, cause = 'Execution aborted'): number {
    const tokens = this.pending()
      .filter((task) => task.executionArn === executionArn)
      .map((task) => task.token);
    for (const token of tokens) {
      this.settle(token, 'failed', (entry) => entry.reject(taskError(ABORTED_ERROR, cause)));
    }
    return tokens.length;
  }

  private entry(token: string): Entry {
    const entry = this.open.get(token);
    if (entry) return entry;
    if (this.closed.has(token)) {
      throw new TaskTokenError('TaskTimedOut', 'Task Timed Out: Provided task does not exist anymore');
    }
    throw new TaskTokenError('TaskDoesNotExist', 'Task Token does not exist');
  }

  private settle(token: string, type: 'succeeded' | 'failed', apply: (entry: Entry) => void): void {
    const entry = this.entry(token);
    this.open.delete(token);
    this.closed.set(token, entry.task);
    clearTimeout(entry.timer);
    apply(entry);
    this.emit({ type, task: entry.task });
  }

  private emit(change: TaskTokenChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        process.emitWarning(error instanceof Error ? error : String(error), {
          code: 'PAYGUARD_TASK_TOKEN_LISTENER',
        });
      }
    }
  }
}
