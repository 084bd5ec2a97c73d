import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import {
  type BucketAccessLookup,
  grantsOfFunction,
  runAsFunction,
  type WorkflowBucketAccessLookup,
} from '#local/stand-ins/function-context.ts';
import { type StateMachineBucket, stateMachineBucket } from '#local/stand-ins/state-machine-bucket.ts';
import type { TaskTokenBroker } from '#local/stand-ins/task-token-broker.ts';
import { resolveDefinition, type WorkflowDefinition } from '#pipelines/workflows.ts';
import {
  type ChildRun,
  type DistributedMapDefinition,
  localDefinition,
  type MapRunHost,
  runMapRun,
} from './distributed-map.ts';
import type { FaultInjector } from './fault-plan.ts';
import {
  LOCAL_ACCOUNT as ACCOUNT,
  lambdaContext,
  localFunctionArn,
  LOCAL_REGION as REGION,
} from './lambda-context.ts';
import type { LambdaWorkerPool } from './lambda-workers.ts';
import { withoutTaskTimeouts } from './task-timeouts.ts';
import { type TaskRun, timedTask } from './task-timings.ts';
import { knownValid, markValid } from './validated-definitions.ts';

/** An event of an execution's history (StateEntered, StateRetried, StateCaught, …). */
export type EventLog = Awaited<ReturnType<ReturnType<StateMachine['run']>['eventLogs']['next']>>['value'] & {
  type: string;
};

type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown>;
type TaskInvoker = (payload: unknown) => Promise<unknown>;

/** Wraps a task's invocation, e.g. to inject a transient fault in a test. */
export type TaskInterceptor = (invoke: TaskInvoker, payload: unknown) => Promise<unknown>;

/** One execution of a workflow on the local engine. */
export interface LocalExecution {
  /**
   * `name` of the workflow it runs; for a child execution of a distributed Map,
   * `{workflow}/{map label}` (as its state machine is named in AWS).
   */
  readonly workflow: string;
  /** The execution whose distributed Map started this one; `undefined` for a top-level execution. */
  readonly parentExecutionArn?: string;
  readonly executionArn: string;
  readonly input: unknown;
  /** Resolves with the output, or rejects with the execution's error (its `name` is the ASL error). */
  readonly result: Promise<unknown>;
  /** Every event of the execution, complete once `result` settled. */
  readonly events: EventLog[];
  /** Stops the execution (its result rejects with `ExecutionAbortedError`). */
  abort(): void;
}

/** A callback task whose function has returned and which now waits for its token. */
export interface CallbackWait {
  readonly executionArn: string;
  readonly state: string;
  readonly token: string;
}

/**
 * Stands in for `$$.Task.Token` in the context of a local execution; a callback task's override
 * swaps it for a token minted by the broker. It carries the execution's ARN, since overrides are
 * per machine, not per execution.
 */
const TOKEN_PLACEHOLDER = 'local-task-token:';

/** The payload with every placeholder token string replaced by `token`. */
function withToken(value: unknown, token: string): unknown {
  if (typeof value === 'string') return value.startsWith(TOKEN_PLACEHOLDER) ? token : value;
  if (Array.isArray(value)) return value.map((v) => withToken(v, token));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withToken(v, token)]));
  }
  return value;
}

/** The execution ARN carried by the placeholder token in a callback task's payload. */
function placeholderExecution(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value.startsWith(TOKEN_PLACEHOLDER) ? value.slice(TOKEN_PLACEHOLDER.length) : undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) {
      const found = placeholderExecution(v);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

const fakeFunctionArn = localFunctionArn;
const fakeStateMachineArn = (workflow: string) =>
  `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:payguard-${workflow}`;

/** Runs a task's handler in the engine's own process, as the function module its caller is. */
async function inProcess(
  task: { state: string; functionModule: string },
  bucketAccess: BucketAccessLookup | undefined,
): Promise<(payload: unknown) => Promise<TaskRun>> {
  const module = (await import(`#functions/${task.functionModule}.ts`)) as { handler: LambdaHandler };
  return async (payload) => {
    const result = await runAsFunction(
      task.functionModule,
      () => module.handler(payload, lambdaContext(task.state)),
      bucketAccess,
    );
    // A Lambda result crosses a JSON boundary: undefined fields vanish, as they do in AWS.
    return { result: JSON.parse(JSON.stringify(result ?? null)), pid: process.pid };
  };
}

/** Runs a task's handler in a Lambda-like worker of `pool`, with the grants its module's role holds. */
function inWorker(
  pool: LambdaWorkerPool,
  task: { state: string; functionModule: string },
  bucketAccess: BucketAccessLookup | undefined,
  timeoutSeconds: number | undefined,
): (payload: unknown) => Promise<TaskRun> {
  return (payload) =>
    pool.invoke(
      task.functionModule,
      task.state,
      payload,
      grantsOfFunction(task.functionModule, bucketAccess),
      timeoutSeconds,
    );
}

/**
 * Validated machines by resolved definition. Validating an ASL document (asl-validator) takes a
 * second or more; a machine holds nothing of its executions, so each definition is validated once
 * per process however many local stacks start, and not again in a later process once found valid
 * (`validated-definitions.ts`).
 */
const machines = new Map<string, StateMachine>();

const VALIDATION = { checkArn: true, checkPaths: true } as const;

function stateMachineOf(definition: unknown): StateMachine {
  const text = JSON.stringify(definition);
  const known = machines.get(text);
  if (known) return known;
  const options = JSON.stringify(VALIDATION);
  const valid = knownValid(text, options);
  const machine = new StateMachine(definition as never, {
    validationOptions: valid ? { noValidate: true } : VALIDATION,
  });
  if (!valid) markValid(text, options);
  machines.set(text, machine);
  return machine;
}

/**
 * Runs a workflow's ASL in-process with aws-local-stepfunctions, the very definition the stack
 * deploys, with each Task state served by the same handler module its Lambda runs.
 */
export class LocalWorkflowEngine {
  private constructor(
    readonly workflow: WorkflowDefinition,
    private readonly machine: StateMachine,
    private readonly handlers: Record<string, (input: unknown) => Promise<unknown>>,
    private readonly retryIntervalOverrides: Record<string, number>,
    private readonly maps: ReadonlyMap<string, DistributedMapDefinition>,
    private readonly onChildExecution: ((execution: LocalExecution) => void) | undefined,
  ) {}

  /**
   * Loads the workflow and its handlers. Import happens here, after the local stack has set the
   * SDK's environment.
   */
  static async create(
    workflow: WorkflowDefinition,
    options: {
      retryIntervalMs?: number;
      interceptors?: Record<string, TaskInterceptor | undefined>;
      /**
       * Serves `states:startExecution` tasks: starts the named workflow with the input (under the
       * execution name the task gives, if any), returns its ARN.
       */
      startExecution?: (workflow: string, input: unknown, name?: string) => string;
      /** Mints and settles the task tokens of `.waitForTaskToken` states. */
      broker?: TaskTokenBroker;
      /** Told when a callback task's function returned and the task waits for its token. */
      onCallbackWait?: (wait: CallbackWait) => void;
      /**
       * The bucket access each function runs with (its requests outside it are refused).
       * @default - as `pipelines/bucket-access.ts` declares it
       */
      bucketAccess?: BucketAccessLookup;
      /** Makes one Task state fail once (fault injection); every invocation as is when unset. */
      faults?: FaultInjector;
      /**
       * The bucket the state machine's own requests (a distributed Map's ItemReader and
       * ResultWriter) reach.
       * @default - the embedded stack's, guarded by the workflow's grants of `pipelines/bucket-access.ts`
       */
      bucket?: StateMachineBucket;
      /** The state machine's own bucket access (for the default `bucket`); tests narrow it to see a refusal. */
      workflowBucketAccess?: WorkflowBucketAccessLookup;
      /** Told of each child execution a distributed Map starts. */
      onChildExecution?: (execution: LocalExecution) => void;
      /**
       * Runs each handler in a Lambda-like worker process of this pool (`lambda-workers.ts`).
       * @default - every handler in the engine's own process
       */
      workers?: LambdaWorkerPool;
    } = {},
  ): Promise<LocalWorkflowEngine> {
    const substitutions = Object.fromEntries([
      ...workflow.tasks.map((t) => [t.arnSubstitution, fakeFunctionArn(t.state)]),
      ...(workflow.starts ?? []).map((s) => [s.arnSubstitution, fakeStateMachineArn(s.workflow)]),
    ]);
    const resolved = resolveDefinition(workflow, substitutions) as { States?: unknown };
    // With a bounded pool, a Lambda Task's timeout runs from when a worker takes it (task-timeouts.ts).
    const { definition, timeouts } = options.workers
      ? withoutTaskTimeouts(
          resolved,
          new Set(workflow.tasks.filter((t) => !t.waitsForTaskToken).map((t) => t.state)),
        )
      : { definition: resolved, timeouts: new Map<string, number>() };
    const local = localDefinition(definition);
    const machine = stateMachineOf(local.definition);
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const task of workflow.tasks) {
      const run = options.workers
        ? inWorker(options.workers, task, options.bucketAccess, timeouts.get(task.state))
        : await inProcess(task, options.bucketAccess);
      const timed: TaskInvoker = timedTask({ ...task, workflow: workflow.name }, run);
      const invoke = options.faults?.wrap(workflow.name, task.state, 'lambda', timed) ?? timed;
      const interceptor = options.interceptors?.[task.state];
      const call = (payload: unknown) => (interceptor ? interceptor(invoke, payload) : invoke(payload));
      if (task.waitsForTaskToken) {
        handlers[task.state] = async (input) => {
          const { broker } = options;
          if (!broker)
            throw new Error(`${task.state} waits for a task token: the local engine needs a broker`);
          const { Payload } = input as { Payload: unknown };
          const executionArn = placeholderExecution(Payload);
          if (executionArn === undefined)
            throw new Error(`${task.state} passes no $$.Task.Token to its function`);
          const { token, settled } = broker.await({ executionArn, state: task.state });
          try {
            await call(withToken(Payload, token));
          } catch (error) {
            const e = error as Error;
            if (broker.pending().some((p) => p.token === token)) broker.fail(token, e.name, e.message);
            throw error;
          }
          if (broker.pending().some((p) => p.token === token)) {
            options.onCallbackWait?.({ executionArn, state: task.state, token });
          }
          return settled;
        };
        continue;
      }
      handlers[task.state] = async (input) => {
        const { Payload } = input as { Payload: unknown };
        const result = await call(Payload);
        return { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: result };
      };
    }
    for (const start of workflow.starts ?? []) {
      const startExecution: TaskInvoker = async (input) => {
        if (!options.startExecution)
          throw new Error(`${start.state} needs a startExecution handler on the local engine`);
        const { Input, Name } = input as { Input: unknown; Name?: string };
        return {
          ExecutionArn: options.startExecution(start.workflow, Input, Name),
          StartDate: new Date().toISOString(),
        };
      };
      handlers[start.state] =
        options.faults?.wrap(workflow.name, start.state, 'states', startExecution) ?? startExecution;
    }
    const retry = Object.fromEntries(
      [
        ...workflow.tasks,
        ...(workflow.starts ?? []),
        ...[...local.maps.keys()].map((state) => ({ state })),
      ].map((t) => [t.state, options.retryIntervalMs ?? 0]),
    );
    const engine = new LocalWorkflowEngine(
      workflow,
      machine,
      handlers,
      retry,
      local.maps,
      options.onChildExecution,
    );
    const host: MapRunHost = {
      workflow: workflow.name,
      stateMachineArn: fakeStateMachineArn(workflow.name),
      bucket: options.bucket ?? stateMachineBucket(options.workflowBucketAccess),
      startChild: (state, label, input, parent) => engine.startChild(state, label, input, parent),
    };
    for (const [state, definition] of local.maps) {
      handlers[state] = async (input) => {
        const { Input, Context } = input as { Input: unknown; Context: Record<string, unknown> };
        return runMapRun(host, state, definition, Input, Context);
      };
    }
    return engine;
  }

  /** Item processors of the distributed Maps, as machines, by state name. */
  private readonly children = new Map<string, StateMachine>();

  /**
   * Starts a child execution of the item processor of the distributed Map `state`, as Step
   * Functions does for each item of a map run: an execution of its own, of the state machine
   * `{machine}/{label}`, named by a UUID.
   */
  private startChild(state: string, label: string, input: unknown, parentExecutionArn: string): ChildRun {
    let machine = this.children.get(state);
    if (machine === undefined) {
      const processor = this.maps.get(state)?.ItemProcessor;
      if (processor === undefined) throw new Error(`no distributed Map ${state} in ${this.workflow.name}`);
      const { ProcessorConfig: _, ...graph } = processor;
      const local = localDefinition(graph);
      if (local.maps.size > 0) {
        throw new Error(
          `${state}: a distributed Map inside a distributed Map is not served by the local engine`,
        );
      }
      machine = stateMachineOf(local.definition);
      this.children.set(state, machine);
    }
    const name = randomUUID();
    const execution = this.launch(machine, input, {
      workflow: `${this.workflow.name}/${label}`,
      executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:payguard-${this.workflow.name}/${label}:${name}`,
      name,
      stateMachineId: `${fakeStateMachineArn(this.workflow.name)}/${label}`,
      stateMachineName: `payguard-${this.workflow.name}/${label}`,
      parentExecutionArn,
    });
    this.onChildExecution?.(execution);
    return { executionArn: execution.executionArn, name, result: execution.result, abort: execution.abort };
  }

  /** Starts an execution, as EventBridge or StartExecution would (named `name`, else a random UUID). */
  start(input: unknown, name: string = randomUUID()): LocalExecution {
    return this.launch(this.machine, input, {
      workflow: this.workflow.name,
      executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:payguard-${this.workflow.name}:${name}`,
      name,
      stateMachineId: fakeStateMachineArn(this.workflow.name),
      stateMachineName: `payguard-${this.workflow.name}`,
    });
  }

  private launch(
    machine: StateMachine,
    input: unknown,
    at: {
      workflow: string;
      executionArn: string;
      name: string;
      stateMachineId: string;
      stateMachineName: string;
      parentExecutionArn?: string;
    },
  ): LocalExecution {
    const { executionArn, name } = at;
    const run = machine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: this.handlers as never,
        retryIntervalOverrides: this.retryIntervalOverrides,
      },
      context: {
        Execution: { Id: executionArn, Name: name, StartTime: new Date().toISOString(), Input: input },
        StateMachine: { Id: at.stateMachineId, Name: at.stateMachineName },
        Task: { Token: `${TOKEN_PLACEHOLDER}${executionArn}` },
      } as never,
    });
    const events: EventLog[] = [];
    const collected = (async () => {
      for await (const event of run.eventLogs) events.push(event);
    })();
    const result = run.result.then(
      async (output) => {
        await collected;
        return output;
      },
      async (error: unknown) => {
        await collected.catch(() => undefined);
        throw error;
      },
    );
    return {
      workflow: at.workflow,
      executionArn,
      ...(at.parentExecutionArn ? { parentExecutionArn: at.parentExecutionArn } : {}),
      input,
      result,
      events,
      abort: () => run.abort(),
    };
  }
}
