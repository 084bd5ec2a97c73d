import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { type BucketAccessLookup, runAsFunction } from '#local/stand-ins/function-context.ts';
import type { TaskTokenBroker } from '#local/stand-ins/task-token-broker.ts';
import { resolveDefinition, type WorkflowDefinition } from '#pipelines/workflows.ts';
import type { FaultInjector } from './fault-plan.ts';
import { timedTask } from './task-timings.ts';

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
  /** `name` of the workflow it runs. */
  readonly workflow: string;
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

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';

const fakeFunctionArn = (state: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:payguard-${state}`;
const fakeStateMachineArn = (workflow: string) =>
  `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:payguard-${workflow}`;

function lambdaContext(state: string) {
  const deadline = Date.now() + 900_000;
  return {
    functionName: `payguard-${state}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: fakeFunctionArn(state),
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/payguard-${state}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * Validated machines by resolved definition. Validating an ASL document (asl-validator) takes a
 * second or more; a machine holds nothing of its executions, so each definition is validated once
 * per process however many local stacks start.
 */
const machines = new Map<string, StateMachine>();

function stateMachineOf(definition: unknown): StateMachine {
  const text = JSON.stringify(definition);
  const known = machines.get(text);
  if (known) return known;
  const machine = new StateMachine(definition as never, {
    validationOptions: { checkArn: true, checkPaths: true },
  });
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
    } = {},
  ): Promise<LocalWorkflowEngine> {
    const substitutions = Object.fromEntries([
      ...workflow.tasks.map((t) => [t.arnSubstitution, fakeFunctionArn(t.state)]),
      ...(workflow.starts ?? []).map((s) => [s.arnSubstitution, fakeStateMachineArn(s.workflow)]),
    ]);
    const machine = stateMachineOf(resolveDefinition(workflow, substitutions));
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const task of workflow.tasks) {
      const module = (await import(`#functions/${task.functionModule}.ts`)) as { handler: LambdaHandler };
      const timed: TaskInvoker = timedTask({ ...task, workflow: workflow.name }, async (payload) => {
        const result = await runAsFunction(
          task.functionModule,
          () => module.handler(payload, lambdaContext(task.state)),
          options.bucketAccess,
        );
        // A Lambda result crosses a JSON boundary: undefined fields vanish, as they do in AWS.
        return JSON.parse(JSON.stringify(result ?? null));
      });
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
      [...workflow.tasks, ...(workflow.starts ?? [])].map((t) => [t.state, options.retryIntervalMs ?? 0]),
    );
    return new LocalWorkflowEngine(workflow, machine, handlers, retry);
  }

  /** Starts an execution, as EventBridge or StartExecution would (named `name`, else a random UUID). */
  start(input: unknown, name: string = randomUUID()): LocalExecution {
    const executionArn = `arn:aws:states:${REGION}:${ACCOUNT}:execution:payguard-${this.workflow.name}:${name}`;
    const run = this.machine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: this.handlers as never,
        retryIntervalOverrides: this.retryIntervalOverrides,
      },
      context: {
        Execution: { Id: executionArn, Name: name, StartTime: new Date().toISOString(), Input: input },
        StateMachine: {
          Id: fakeStateMachineArn(this.workflow.name),
          Name: `payguard-${this.workflow.name}`,
        },
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
    return { workflow: this.workflow.name, executionArn, input, result, events, abort: () => run.abort() };
  }
}
