import { taskStatesOf, WORKFLOWS, type WorkflowDefinition } from '#pipelines/workflows.ts';

/**
 * - `transient`: the invocation fails before the function runs, as a Lambda service error or a
 *   throttled Step Functions call does (the ASL's Retry and Catch apply as in AWS);
 * - `crash`: the function runs — its side effects happen — and the invocation then fails instead
 *   of returning, as when a Lambda times out or its runtime exits after its last write.
 */
export type FaultKind = 'transient' | 'crash';

export const FAULT_KINDS: readonly FaultKind[] = ['transient', 'crash'];

/** One fault to inject into the local engine: a Task state of a workflow fails once. */
export interface FaultPlan {
  /** `name` of the workflow (`pipelines/workflows.ts`). */
  readonly workflow: string;
  /** A Task state of its ASL. */
  readonly state: string;
  readonly kind: FaultKind;
  /**
   * Which invocation of the state (across every execution of the workflow, counted from 1) fails.
   * @default 1
   */
  readonly invocation?: number;
}

/**
 * The errors AWS reports for each kind of fault, by the task's service integration. Lambda:
 * `Lambda.ServiceException` is a transient service error; an unhandled failure of the function
 * (a timeout, the runtime exiting) is reported as `Lambda.Unknown`. Step Functions:
 * a throttled StartExecution is refused before it starts anything; a call whose response is
 * lost started the execution all the same.
 */
const ERRORS: Record<'lambda' | 'states', Record<FaultKind, string>> = {
  lambda: { transient: 'Lambda.ServiceException', crash: 'Lambda.Unknown' },
  states: { transient: 'StepFunctions.ExecutionLimitExceeded', crash: 'StepFunctions.SdkClientException' },
};

/** The error an injected fault throws; its `name` is the ASL error. */
export class InjectedFault extends Error {
  constructor(name: string, plan: FaultPlan) {
    super(
      `injected ${plan.kind} fault at ${plan.workflow}:${plan.state} (invocation ${plan.invocation ?? 1})`,
    );
    this.name = name;
  }
}

/** Every Task state of every workflow, as `{ workflow, state }`, read from the ASL files. */
export function everyTaskState(
  workflows: readonly WorkflowDefinition[] = WORKFLOWS,
): { workflow: string; state: string }[] {
  return workflows.flatMap((w) => taskStatesOf(w).map(({ state }) => ({ workflow: w.name, state })));
}

/**
 * Parses `workflow:state:kind[:invocation]` (the `PAYGUARD_FAULT` form) and checks that it names a
 * Task state of a workflow.
 * @throws Error naming what is wrong.
 */
export function parseFaultPlan(text: string): FaultPlan {
  const [workflow = '', state = '', kind = '', invocation, ...rest] = text.split(':');
  const usage = `a fault is workflow:state:${FAULT_KINDS.join('|')}[:invocation], got "${text}"`;
  if (rest.length > 0 || !FAULT_KINDS.includes(kind as FaultKind)) throw new Error(usage);
  const n = invocation === undefined ? 1 : Number(invocation);
  if (!Number.isInteger(n) || n < 1) throw new Error(usage);
  const plan: FaultPlan = { workflow, state, kind: kind as FaultKind, invocation: n };
  assertTaskState(plan);
  return plan;
}

/** @throws Error when the plan names no Task state of any workflow. */
export function assertTaskState(plan: FaultPlan): void {
  const states = everyTaskState();
  if (!states.some((s) => s.workflow === plan.workflow && s.state === plan.state)) {
    throw new Error(
      `no Task state ${plan.state} in workflow ${plan.workflow}; Task states: ${states.map((s) => `${s.workflow}:${s.state}`).join(', ')}`,
    );
  }
}

type Invoke = (payload: unknown) => Promise<unknown>;

/**
 * Makes the invocation the plan names fail, once. Off (every invocation as is) without a plan.
 */
export class FaultInjector {
  private invocations = 0;
  /** Whether the fault was injected (the named invocation happened). */
  fired = false;

  constructor(readonly plan: FaultPlan) {
    assertTaskState(plan);
  }

  /** `invoke` of the workflow's Task state, failing as planned when it is the one. */
  wrap(workflow: string, state: string, service: 'lambda' | 'states', invoke: Invoke): Invoke {
    if (workflow !== this.plan.workflow || state !== this.plan.state) return invoke;
    const error = ERRORS[service][this.plan.kind];
    return async (payload) => {
      this.invocations += 1;
      const hit = !this.fired && this.invocations === (this.plan.invocation ?? 1);
      if (!hit) return invoke(payload);
      this.fired = true;
      if (this.plan.kind === 'transient') throw new InjectedFault(error, this.plan);
      await invoke(payload);
      throw new InjectedFault(error, this.plan);
    };
  }
}
