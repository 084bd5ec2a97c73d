import type { BucketAccessLookup, WorkflowBucketAccessLookup } from '#local/stand-ins/function-context.ts';
import { TaskTokenBroker } from '#local/stand-ins/task-token-broker.ts';
import {
  BANK_RETURNS_WORKFLOW,
  DATASET_INGEST_WORKFLOW,
  INGEST_WORKFLOW,
  MONTH_RUN_WORKFLOW,
  MONTH_WATCH_WORKFLOW,
  WORKFLOWS,
} from '#pipelines/workflows.ts';
import { FaultInjector, type FaultPlan } from './fault-plan.ts';
import { withLambdaBundle } from './lambda-bundle.ts';
import { LambdaWorkerPool, type LambdaWorkerPoolOptions } from './lambda-workers.ts';
import {
  type CallbackWait,
  type LocalExecution,
  LocalWorkflowEngine,
  type TaskInterceptor,
} from './workflow-engine.ts';

/** A named start refused: the name is taken (StartExecution's `ExecutionAlreadyExists`). */
export class ExecutionAlreadyExists extends Error {
  constructor(workflow: string, name: string) {
    super(`an execution named ${name} of ${workflow} already exists`);
    this.name = 'StepFunctions.ExecutionAlreadyExistsException';
  }
}

/**
 * Every workflow of the stack on the local engine, able to start one another as
 * `states:startExecution` does in AWS, with a record of every execution started and of the
 * callback steps (`.waitForTaskToken`) they wait at.
 */
export class LocalWorkflows {
  readonly executions: LocalExecution[] = [];
  private readonly listeners: ((execution: LocalExecution) => void)[] = [];
  private readonly waitListeners: ((wait: CallbackWait) => void)[] = [];
  private readonly engines = new Map<string, LocalWorkflowEngine>();
  private readonly settled = new Set<string>();
  /** Executions started under a name, by `{workflow}/{name}`. */
  private readonly named = new Map<string, LocalExecution>();
  /** Executions whose function returned at a callback step and which wait for its token. */
  private readonly parked = new Map<string, CallbackWait>();

  /** The injected fault, when one was planned (`fired` says whether it happened). */
  faults: FaultInjector | undefined;

  /** The Lambda-like workers the handlers run in; undefined when they run in this process. */
  workers: LambdaWorkerPool | undefined;

  private constructor(readonly broker: TaskTokenBroker) {
    broker.onChange((change) => {
      if (change.type === 'pending') return;
      const wait = this.parked.get(change.task.executionArn);
      if (wait?.token === change.task.token) this.parked.delete(change.task.executionArn);
    });
  }

  /** Loads every workflow and its handlers (after the local stack has set the SDK's environment). */
  static async create(
    options: {
      interceptors?: Record<string, TaskInterceptor | undefined>;
      broker?: TaskTokenBroker;
      /** @default - each function's access as `pipelines/bucket-access.ts` declares it */
      bucketAccess?: BucketAccessLookup;
      /** One Task state of one workflow to fail once (`local/engine/fault-plan.ts`); none by default. */
      fault?: FaultPlan;
      /** @default - each state machine's own access as `pipelines/bucket-access.ts` declares it */
      workflowBucketAccess?: WorkflowBucketAccessLookup;
      /**
       * Runs the handlers as Lambda does, each invocation in a worker process of its function
       * (`lambda-workers.ts`; `true` for the pool's defaults), the functions bundled unless the
       * options name their own modules (`lambda-bundle.ts`, `withLambdaBundle`); `close` stops the workers.
       * @default - every handler in this process
       */
      workers?: boolean | LambdaWorkerPoolOptions;
    } = {},
  ): Promise<LocalWorkflows> {
    const workflows = new LocalWorkflows(options.broker ?? new TaskTokenBroker());
    workflows.faults = options.fault ? new FaultInjector(options.fault) : undefined;
    const { workers } = options;
    workflows.workers = workers
      ? new LambdaWorkerPool(await withLambdaBundle(workers === true ? {} : workers))
      : undefined;
    for (const workflow of WORKFLOWS) {
      const engine = await LocalWorkflowEngine.create(workflow, {
        ...(workflows.workers ? { workers: workflows.workers } : {}),
        interceptors: options.interceptors,
        bucketAccess: options.bucketAccess,
        workflowBucketAccess: options.workflowBucketAccess,
        faults: workflows.faults,
        // A distributed Map's child executions are executions of their own, listed as in AWS.
        onChildExecution: (execution) => workflows.track(execution),
        startExecution: (name, input, executionName) =>
          workflows.start(name, input, executionName).executionArn,
        broker: workflows.broker,
        onCallbackWait: (wait) => {
          workflows.parked.set(wait.executionArn, wait);
          for (const listener of workflows.waitListeners) listener(wait);
        },
      });
      workflows.engines.set(workflow.name, engine);
    }
    return workflows;
  }

  /**
   * Starts an execution of the named workflow. A named start is idempotent as StartExecution is
   * for a standard workflow: the same name and input as an execution still running return that
   * execution; a name already used otherwise (the execution closed, or another input) fails with
   * `StepFunctions.ExecutionAlreadyExistsException`.
   */
  start(workflow: string, input: unknown, name?: string): LocalExecution {
    const engine = this.engines.get(workflow);
    if (!engine) throw new Error(`no local workflow named ${workflow}`);
    if (name !== undefined) {
      const key = `${workflow}/${name}`;
      const existing = this.named.get(key);
      if (existing) {
        const running = !this.settled.has(existing.executionArn);
        if (running && JSON.stringify(existing.input) === JSON.stringify(input)) return existing;
        throw new ExecutionAlreadyExists(workflow, name);
      }
    }
    const execution = engine.start(input, name);
    if (name !== undefined) this.named.set(`${workflow}/${name}`, execution);
    this.track(execution);
    return execution;
  }

  /** Records a started execution (top-level, or a distributed Map's child) and tells the listeners. */
  private track(execution: LocalExecution): void {
    execution.result.catch(() => undefined).finally(() => this.settled.add(execution.executionArn));
    this.executions.push(execution);
    for (const listener of this.listeners) listener(execution);
  }

  onExecution(listener: (execution: LocalExecution) => void): void {
    this.listeners.push(listener);
  }

  /** Told whenever an execution starts waiting at a callback step; returns the unsubscribe. */
  onCallbackWait(listener: (wait: CallbackWait) => void): () => void {
    this.waitListeners.push(listener);
    return () => {
      const index = this.waitListeners.indexOf(listener);
      if (index >= 0) this.waitListeners.splice(index, 1);
    };
  }

  /** The callback step an execution waits at, if it does. */
  waitingAt(executionArn: string): CallbackWait | undefined {
    return this.parked.get(executionArn);
  }

  /** Resolves when the execution has finished or waits at a callback step. */
  private untilQuiet(execution: LocalExecution): Promise<unknown> {
    if (this.settled.has(execution.executionArn) || this.parked.has(execution.executionArn)) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const unsubscribe = this.onCallbackWait((wait) => {
        if (wait.executionArn === execution.executionArn) done();
      });
      const done = () => {
        unsubscribe();
        resolve(undefined);
      };
      execution.result.then(done, done);
    });
  }

  /**
   * Waits until every execution started so far, and every one they started, has finished or
   * waits at a callback step (for an approval, for the bank).
   */
  async drain(): Promise<void> {
    for (;;) {
      const count = this.executions.length;
      await Promise.all(this.executions.map((e) => this.untilQuiet(e)));
      // Let result handlers that start further executions run before looking again.
      await new Promise((resolve) => setImmediate(resolve));
      const quiet = this.executions.every(
        (e) => this.settled.has(e.executionArn) || this.parked.has(e.executionArn),
      );
      if (quiet && count === this.executions.length) return;
    }
  }

  /** Stops the handlers' workers, if they run in workers, and waits until each has exited. */
  async close(): Promise<void> {
    await this.workers?.close();
  }

  /** Stops every execution still running (e.g. one waiting for the bank when a local run ends). */
  abortAll(): void {
    for (const execution of this.executions) {
      if (this.settled.has(execution.executionArn)) continue;
      for (const task of this.broker.pending()) {
        if (task.executionArn === execution.executionArn)
          this.broker.fail(task.token, 'States.Aborted', 'run stopped');
      }
      execution.abort();
    }
  }
}

export const WORKFLOW_NAMES = {
  ingest: INGEST_WORKFLOW.name,
  monthRun: MONTH_RUN_WORKFLOW.name,
  datasetIngest: DATASET_INGEST_WORKFLOW.name,
  bankReturns: BANK_RETURNS_WORKFLOW.name,
  monthWatch: MONTH_WATCH_WORKFLOW.name,
} as const;
