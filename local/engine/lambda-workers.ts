import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BucketGrants } from '#pipelines/bucket-access.ts';
import { type CrossingError, fromCrossing } from './invocation-error.ts';

/** What the engine sends a worker: one invocation of its function module. */
export interface WorkerRequest {
  readonly id: number;
  /** Its module under `functions/`: a worker serves the module of its first request, and only it. */
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
  /** `invocation` where the peak was reset before it (Linux), else `process` (its whole life). */
  readonly peakSince: 'invocation' | 'process';
} & ({ readonly ok: true; readonly result: string } | { readonly ok: false; readonly error: CrossingError });

/** One invocation served by a worker. */
export interface WorkerInvocation {
  /** The handler's result, after its JSON crossing. */
  readonly result: unknown;
  /** The peak RSS of the worker's process during this invocation, in bytes. */
  readonly peakRss: number;
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
   * Worker processes kept alive, busy or idle (warm workers of other modules are stopped, least
   * recently used first, to start one that is needed). At least `size`.
   * @default - twice `size`
   */
  readonly warm?: number;
  /**
   * How long a worker stays warm without an invocation before it exits, in milliseconds.
   * @default 60000
   */
  readonly idleMs?: number;
  /**
   * The folder of the handler modules (`{folder}/{module}.ts`).
   * @default - `functions/`
   */
  readonly functionsFolder?: string;
}

const WORKER_MAIN = join(import.meta.dirname, 'lambda-worker-main.ts');
/** The loader `npm start` runs the CLI with (tsx), so a worker imports the same `.ts` modules. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

interface Worker {
  /** The module it serves; undefined for the spare, which has loaded only what all modules share. */
  functionModule: string | undefined;
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
  readonly functionModule: string;
  readonly request: WorkerRequest;
  resolve(invocation: WorkerInvocation): void;
  reject(error: Error): void;
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
 * Runs Lambda handlers as Lambda does: each invocation in a worker process of its own function
 * module, one invocation per worker at a time, warm workers reused per module, a bounded number at
 * once — so independent executions and Map iterations use every core, and a handler's memory is
 * its own (each invocation reports its worker's peak RSS). A worker inherits the environment the
 * local stack set (its stand-ins are loopback endpoints, reached from any process alike); a worker
 * started before the environment changed is not reused.
 */
export class LambdaWorkerPool {
  readonly size: number;
  private readonly warm: number;
  private readonly idleMs: number;
  private readonly functionsFolder: string | undefined;
  private readonly workers = new Set<Worker>();
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: LambdaWorkerPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? availableParallelism());
    this.warm = Math.max(this.size, options.warm ?? 2 * this.size);
    this.idleMs = options.idleMs ?? 60_000;
    this.functionsFolder = options.functionsFolder;
  }

  /** Invokes `functions/{functionModule}.ts`'s handler with `payload`, as the Task state `state`. */
  invoke(
    functionModule: string,
    state: string,
    payload: unknown,
    grants: BucketGrants,
  ): Promise<WorkerInvocation> {
    if (this.closed) return Promise.reject(new Error('the Lambda worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({
        functionModule,
        request: { id: this.nextId++, functionModule, state, payload, grants },
        resolve,
        reject,
      });
      this.dispatch();
    });
  }

  /** The live workers (for tests and the bench): pid, module, whether it runs an invocation. */
  list(): { pid: number; functionModule: string; busy: boolean }[] {
    return [...this.workers].flatMap((w) =>
      w.functionModule === undefined || w.retiring
        ? []
        : [{ pid: w.child.pid ?? 0, functionModule: w.functionModule, busy: w.current !== undefined }],
    );
  }

  /** Stops every worker (a running invocation fails) and waits until each has exited. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new Error('the Lambda worker pool closed'));
    await Promise.all([...this.workers].map((w) => this.retire(w)));
  }

  /** Gives each waiting invocation, in order, a worker of its module when one is or can be free. */
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
    this.keepSpare(env);
  }

  /** An idle warm worker of the module, else a new one if the bounds allow; undefined: wait. */
  private workerFor(functionModule: string, env: string): Worker | undefined {
    const live = [...this.workers].filter((w) => !w.retiring);
    const idle = live.filter((w) => w.current === undefined);
    const warm = idle
      .filter((w) => w.functionModule === functionModule && w.env === env)
      .sort((a, b) => b.lastUsed - a.lastUsed)[0];
    if (warm) return warm;
    if (live.length - idle.length >= this.size) return undefined;
    const spare = idle.find((w) => w.functionModule === undefined && w.env === env);
    if (spare === undefined && live.length >= this.warm) {
      const coldest = idle.sort((a, b) => a.lastUsed - b.lastUsed)[0];
      if (coldest === undefined) return undefined;
      void this.retire(coldest);
    }
    const worker = spare ?? this.start(env);
    worker.functionModule = functionModule;
    return worker;
  }

  /**
   * Keeps one spare worker started, while the bounds allow: the next module to need a worker gets
   * it with what all modules share already loaded (a cold start of ~0.4 s instead of ~2 s).
   */
  private keepSpare(env: string): void {
    if (this.closed) return;
    const live = [...this.workers].filter((w) => !w.retiring);
    if (live.some((w) => w.functionModule === undefined)) return;
    if (live.length >= this.warm) {
      // The least recently used idle worker makes room, as it would for the next module anyway.
      const coldest = live.filter((w) => w.current === undefined).sort((a, b) => a.lastUsed - b.lastUsed)[0];
      if (coldest === undefined) return;
      void this.retire(coldest);
    }
    this.start(env);
  }

  private start(env: string): Worker {
    const child = fork(WORKER_MAIN, this.functionsFolder === undefined ? [] : [this.functionsFolder], {
      // --expose-gc: a worker collects before each invocation, whose peak then is its own; without
      // concurrent sweeping, the buffers that collection frees are returned before the peak is reset.
      execArgv: ['--import', TSX, '--expose-gc', '--no-concurrent-array-buffer-sweeping'],
      env: process.env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const worker: Worker = {
      functionModule: undefined,
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
    pending.started = performance.timeOrigin + performance.now();
    // A busy worker keeps the engine's process alive; an idle one does not.
    worker.child.ref();
    worker.child.channel?.ref();
    worker.child.send(pending.request);
  }

  private settle(worker: Worker, reply: WorkerReply): void {
    const pending = worker.current;
    if (pending === undefined || pending.request.id !== reply.id) return;
    worker.current = undefined;
    worker.lastUsed = Date.now();
    if (reply.ok) {
      pending.resolve({
        result: JSON.parse(reply.result) as unknown,
        peakRss: reply.peakRss,
        pid: worker.child.pid ?? 0,
        started: pending.started ?? 0,
      });
    } else {
      pending.reject(fromCrossing(reply.error));
    }
    if (reply.peakSince === 'process') {
      // No per-invocation peak here: a fresh process for the next one keeps the figure its own.
      void this.retire(worker);
    } else {
      worker.child.unref();
      worker.child.channel?.unref();
      worker.idleTimer = setTimeout(() => void this.retire(worker), this.idleMs).unref();
    }
    this.dispatch();
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
