import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BucketGrants } from '#pipelines/bucket-access.ts';
import { FUNCTION_ALLOCATOR_ENVIRONMENT } from '#pipelines/function-allocator.ts';
import { type CrossingError, fromCrossing } from './invocation-error.ts';
import type { LambdaBundle } from './lambda-bundle.ts';
import { TaskTimedOut } from './task-timeouts.ts';

/** What the engine sends a worker: one invocation of its function module. */
export interface WorkerRequest {
  readonly id: number;
  /** Its module under `functions/`, which the worker imports on its first request for it. */
  readonly functionModule: string;
  /** The Task state invoking it (its Lambda context names the function after it). */
  readonly state: string;
  readonly payload: unknown;
  /** The grants of the module's role, looked up by the engine (the bucket guard checks them). */
  readonly grants: BucketGrants;
}

/** A worker's answer to one {@link WorkerRequest}. */
export type WorkerReply = {
  readonly id: number;
  /** The worker's peak RSS during the invocation, in bytes. */
  readonly peakRss: number;
  /** The worker's RSS as the invocation started (after a full collection), in bytes. */
  readonly startRss: number;
  /** CPU time (user and system) of the worker's process during the invocation, in microseconds. */
  readonly cpuUs: number;
  /** `invocation` where the peak was reset before it (Linux), else `process` (its whole life). */
  readonly peakSince: 'invocation' | 'process';
} & ({ readonly ok: true; readonly result: string } | { readonly ok: false; readonly error: CrossingError });

/** One invocation served by a worker. */
export interface WorkerInvocation {
  /** The handler's result, after its JSON crossing. */
  readonly result: unknown;
  /** The peak RSS of the worker's process during this invocation, in bytes. */
  readonly peakRss: number;
  /** The worker's RSS as it started (what earlier invocations left in that process is part of the peak). */
  readonly startRss: number;
  /** CPU time of the worker's process during this invocation, in microseconds. */
  readonly cpuUs: number;
  readonly pid: number;
  /** When a worker took it (epoch ms, as `performance.timeOrigin + performance.now()`): before, it waited its turn. */
  readonly started: number;
}

/** Options of a {@link LambdaWorkerPool}. */
export interface LambdaWorkerPoolOptions {
  /**
   * Invocations running at once (each in its own process; more wait their turn).
   * @default - os.availableParallelism()
   */
  readonly size?: number;
  /**
   * A worker whose invocation peaked above this many bytes is retired after it: a worker serves
   * any module, and what a large invocation leaves in its heap would be counted in the peaks of
   * the next ones (and held while it idles).
   * @default 1 GiB
   */
  readonly retireAboveBytes?: number;
  /**
   * How long a worker stays warm without an invocation before it exits, in milliseconds.
   * @default 60000
   */
  readonly idleMs?: number;
  /**
   * The folder of the handler modules (`{folder}/{module}.ts`), loaded through tsx (the pool's tests).
   * @default - `functions/`
   */
  readonly functionsFolder?: string;
  /**
   * The worker and the function modules bundled (`lambda-bundle.ts`), as Lambda runs a function:
   * the workers load it instead of the `.ts` sources through tsx. Not with `functionsFolder`.
   * @default - the sources through tsx
   */
  readonly bundle?: LambdaBundle;
}

const WORKER_MAIN = join(import.meta.dirname, 'lambda-worker-main.ts');
/** The loader `npm start` runs the CLI with (tsx), so a worker imports the same `.ts` modules. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

interface Worker {
  /** The function modules it has imported (each once, on its first invocation there). */
  readonly modules: Set<string>;
  readonly child: ChildProcess;
  /** The environment it was started with: a worker whose environment is stale is not reused. */
  readonly env: string;
  current?: Pending;
  lastUsed: number;
  /** Told to exit: neither reused nor counted against the bounds. */
  retiring?: boolean;
  idleTimer?: NodeJS.Timeout;
  exited: Promise<void>;
}

interface Pending {
  started?: number;
  /** The state's TimeoutSeconds, counted from when a worker takes it. */
  readonly timeoutSeconds?: number;
  readonly functionModule: string;
  readonly request: WorkerRequest;
  resolve(invocation: WorkerInvocation): void;
  reject(error: Error): void;
  /** Clears its timeout once answered. */
  settled?: () => void;
}

/**
 * The failure of an invocation whose worker died before answering (crashed, ran out of memory,
 * exited): AWS reports an unhandled Lambda failure — the runtime's `Runtime.ExitError`, an
 * out-of-memory error, a timeout — to Step Functions as `Lambda.Unknown`, which the ASL's Retry
 * blocks retry as in AWS; the runtime's error is its cause.
 */
export class WorkerExitError extends Error {
  constructor(functionModule: string, pid: number | undefined, how: string) {
    const exit = new Error(`RequestId: local Error: Runtime exited with error: ${how}`);
    exit.name = 'Runtime.ExitError';
    super(`payguard-${functionModule} (worker ${pid ?? '?'}): Runtime exited with error: ${how}`, {
      cause: exit,
    });
    this.name = 'Lambda.Unknown';
  }
}

const environment = () => JSON.stringify(process.env);

/**
 * Runs Lambda handlers as Lambda does where it matters here: each invocation in a worker process,
 * one invocation per worker at a time, at most `size` at once — so independent executions and Map
 * iterations use every core, and a handler's memory is its own (each invocation reports its
 * worker's peak RSS, reset before it). Unlike Lambda, a warm worker serves any function module
 * (importing each once): binding a process to one module, as Lambda's execution environments are,
 * cost a cold start (~2 s of CPU loading the SDK and the modules) for each of the month's ~25
 * functions, which doubled a 200k-payee month's CPU time (measured: 136 s against 68 s in-process);
 * a worker per core pays it once. A worker inherits the environment the
 * local stack set (its stand-ins are loopback endpoints, reached from any process alike); a worker
 * started before the environment changed is not reused.
 */
export class LambdaWorkerPool {
  readonly size: number;
  private readonly idleMs: number;
  private readonly retireAboveBytes: number;
  /** The module the workers run, its arguments and the options Node runs it with. */
  private readonly worker: { readonly main: string; readonly args: string[]; readonly execArgv: string[] };
  private readonly workers = new Set<Worker>();
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: LambdaWorkerPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? availableParallelism());
    this.idleMs = options.idleMs ?? 60_000;
    this.retireAboveBytes = options.retireAboveBytes ?? 2 ** 30;
    // --expose-gc: a worker collects before each invocation, whose peak then is its own; without
    // concurrent sweeping, the buffers that collection frees are returned before the peak is reset.
    const flags = ['--expose-gc', '--no-concurrent-array-buffer-sweeping'];
    const { bundle, functionsFolder } = options;
    this.worker =
      bundle !== undefined && functionsFolder === undefined
        ? // Source maps on, as the functions have them in AWS (their NODE_OPTIONS).
          {
            main: bundle.workerMain,
            args: [bundle.folder, '.mjs'],
            execArgv: ['--enable-source-maps', ...flags],
          }
        : {
            main: WORKER_MAIN,
            args: functionsFolder === undefined ? [] : [functionsFolder],
            execArgv: ['--import', TSX, ...flags],
          };
  }

  /**
   * Invokes `functions/{functionModule}.ts`'s handler with `payload`, as the Task state `state`.
   * With `timeoutSeconds`, an invocation still running that long after a worker took it fails with
   * `States.Timeout` and its worker is stopped (as Lambda stops a timed-out environment).
   */
  invoke(
    functionModule: string,
    state: string,
    payload: unknown,
    grants: BucketGrants,
    timeoutSeconds?: number,
  ): Promise<WorkerInvocation> {
    if (this.closed) return Promise.reject(new Error('the Lambda worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({
        ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
        functionModule,
        request: { id: this.nextId++, functionModule, state, payload, grants },
        resolve,
        reject,
      });
      this.dispatch();
    });
  }

  /**
   * Starts workers now, up to `size`, with the environment as it is: each loads what every handler
   * imports as it starts (~1 s of CPU here, more while the CLI and the stand-ins start beside it),
   * so the first invocations do not wait for it. Call once the environment the handlers need is
   * set (a worker started before it changes is not reused). Each waits as an idle worker does.
   */
  warm(): void {
    if (this.closed) return;
    const env = environment();
    while (this.live().length < this.size) this.keepIdle(this.start(env));
  }

  /** The live workers (for tests and the bench): pid, the modules it imported, whether it runs an invocation. */
  list(): { pid: number; modules: string[]; busy: boolean }[] {
    return this.live().map((w) => ({
      pid: w.child.pid ?? 0,
      modules: [...w.modules],
      busy: w.current !== undefined,
    }));
  }

  /** Stops every worker (a running invocation fails) and waits until each has exited. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new Error('the Lambda worker pool closed'));
    await Promise.all([...this.workers].map((w) => this.retire(w)));
  }

  /** Gives each waiting invocation, in order, a worker when one is or can be free. */
  private dispatch(): void {
    const env = environment();
    for (const w of this.workers) {
      if (w.current === undefined && w.env !== env && !w.retiring) void this.retire(w);
    }
    for (let i = 0; i < this.queue.length; ) {
      const pending = this.queue[i] as Pending;
      const worker = this.workerFor(pending.functionModule, env);
      if (worker === undefined) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      this.run(worker, pending);
    }
  }

  /**
   * An idle warm worker — one that imported the module already if any, the most recently used
   * first — else a new one while fewer than `size` live; undefined: wait.
   */
  private workerFor(functionModule: string, env: string): Worker | undefined {
    const live = this.live();
    const idle = live
      .filter((w) => w.current === undefined && w.env === env)
      .sort(
        (a, b) =>
          Number(b.modules.has(functionModule)) - Number(a.modules.has(functionModule)) ||
          b.lastUsed - a.lastUsed,
      );
    if (idle[0]) return idle[0];
    // (A stale idle worker was retired by dispatch: it makes room for one with this environment.)
    return live.length < this.size ? this.start(env) : undefined;
  }

  private start(env: string): Worker {
    const child = fork(this.worker.main, this.worker.args, {
      execArgv: this.worker.execArgv,
      // The allocator settings a function has in Lambda (its environment there).
      env: { ...process.env, ...FUNCTION_ALLOCATOR_ENVIRONMENT },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const worker: Worker = {
      modules: new Set(),
      child,
      env,
      lastUsed: Date.now(),
      exited: Promise.resolve(),
    };
    child.unref();
    child.channel?.unref();
    worker.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.workers.delete(worker);
        if (worker.idleTimer) clearTimeout(worker.idleTimer);
        const pending = worker.current;
        worker.current = undefined;
        pending?.settled?.();
        pending?.reject(
          new WorkerExitError(
            pending.functionModule,
            child.pid,
            signal ? `signal: ${signal}` : `exit status ${code}`,
          ),
        );
        resolve();
        if (!this.closed) this.dispatch();
      });
    });
    child.on('error', () => undefined);
    child.on('message', (reply: WorkerReply) => this.settle(worker, reply));
    this.workers.add(worker);
    return worker;
  }

  private run(worker: Worker, pending: Pending): void {
    if (worker.idleTimer) clearTimeout(worker.idleTimer);
    worker.current = pending;
    worker.modules.add(pending.functionModule);
    pending.started = performance.timeOrigin + performance.now();
    // A busy worker keeps the engine's process alive; an idle one does not.
    worker.child.ref();
    worker.child.channel?.ref();
    worker.child.send(pending.request);
    const { timeoutSeconds } = pending;
    if (timeoutSeconds !== undefined) {
      const timer = setTimeout(() => {
        if (worker.current !== pending) return;
        worker.current = undefined;
        pending.reject(new TaskTimedOut(pending.request.state, timeoutSeconds));
        worker.retiring = true;
        worker.child.kill('SIGKILL');
      }, timeoutSeconds * 1000);
      timer.unref();
      const settle = () => clearTimeout(timer);
      pending.settled = settle;
    }
  }

  private settle(worker: Worker, reply: WorkerReply): void {
    const pending = worker.current;
    if (pending === undefined || pending.request.id !== reply.id) return;
    pending.settled?.();
    worker.current = undefined;
    worker.lastUsed = Date.now();
    if (reply.ok) {
      pending.resolve({
        result: JSON.parse(reply.result) as unknown,
        peakRss: reply.peakRss,
        startRss: reply.startRss,
        cpuUs: reply.cpuUs,
        pid: worker.child.pid ?? 0,
        started: pending.started ?? 0,
      });
    } else {
      pending.reject(fromCrossing(reply.error));
    }
    if (reply.peakSince === 'process' || reply.peakRss > this.retireAboveBytes) {
      // No per-invocation peak here, or a heap a large invocation left behind: a fresh process for
      // the next one keeps its figure its own.
      void this.retire(worker);
    } else {
      this.keepIdle(worker);
    }
    this.dispatch();
  }

  /** The workers not told to exit: the ones counted against `size`. */
  private live(): Worker[] {
    return [...this.workers].filter((w) => !w.retiring);
  }

  /** A worker with nothing to run: it no longer keeps the engine's process alive, and exits after `idleMs`. */
  private keepIdle(worker: Worker): void {
    worker.child.unref();
    worker.child.channel?.unref();
    worker.idleTimer = setTimeout(() => void this.retire(worker), this.idleMs).unref();
  }

  /** Stops a worker (it exits normally on disconnect) and waits for its exit. */
  private async retire(worker: Worker): Promise<void> {
    worker.retiring = true;
    if (worker.idleTimer) clearTimeout(worker.idleTimer);
    // Referenced again until it has exited, so its exit is awaited (and its last line written).
    worker.child.ref();
    if (worker.child.connected) worker.child.disconnect();
    const killer = setTimeout(() => worker.child.kill('SIGKILL'), 10_000).unref();
    await worker.exited;
    clearTimeout(killer);
  }
}
