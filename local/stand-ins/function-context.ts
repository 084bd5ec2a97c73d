import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type BucketAccess,
  type BucketGrants,
  bucketAccessOf,
  bucketGrantsOf,
  stateMachineBucketAccess,
  type WorkflowBucketAccess,
  workflowBucketAccessOf,
} from '#pipelines/bucket-access.ts';

/** The function module a handler invocation runs as, with the bucket grants its role would hold. */
export interface FunctionCaller {
  /** Module under `functions/`, e.g. `release-month`. */
  readonly functionModule: string;
  readonly grants: BucketGrants;
}

/** Where a bucket access is looked up for a module; tests narrow it to see a refusal. */
export type BucketAccessLookup = (functionModule: string) => BucketAccess | undefined;

const callers = new AsyncLocalStorage<FunctionCaller>();

/**
 * Runs `invoke` (a handler's invocation) as `functionModule`: every request the embedded stack
 * sees from it, however deep in awaits, is checked against that module's grants (see
 * `guardBucket`). Code outside any invocation — the local runner, tests — is not restricted.
 */
export function runAsFunction<T>(
  functionModule: string,
  invoke: () => T,
  accessOf: BucketAccessLookup = bucketAccessOf,
): T {
  return runAsCaller({ functionModule, grants: grantsOfFunction(functionModule, accessOf) }, invoke);
}

/** The bucket grants `functionModule` runs with (plain data: they cross to a Lambda-like worker). */
export function grantsOfFunction(
  functionModule: string,
  accessOf: BucketAccessLookup = bucketAccessOf,
): BucketGrants {
  return bucketGrantsOf(accessOf(functionModule) ?? {});
}

/**
 * Runs `invoke` as `caller`, with grants already derived: how a Lambda-like worker of the local
 * engine runs an invocation whose grants the engine looked up (see {@link runAsFunction}).
 */
export function runAsCaller<T>(caller: FunctionCaller, invoke: () => T): T {
  return callers.run(caller, invoke);
}

/** Where a workflow's own bucket access is looked up; tests narrow it to see a refusal. */
export type WorkflowBucketAccessLookup = (workflow: string) => WorkflowBucketAccess | undefined;

/**
 * Runs `invoke` as the state machine of `workflow` (its ItemReader and ResultWriter requests): the
 * embedded stack checks them against the grants `pipelines/bucket-access.ts` declares for that
 * workflow, as the state machine's role would in AWS. The caller is named `{workflow}-state-machine`.
 */
export function runAsStateMachine<T>(
  workflow: string,
  invoke: () => T,
  accessOf: WorkflowBucketAccessLookup = workflowBucketAccessOf,
): T {
  const grants = bucketGrantsOf(stateMachineBucketAccess(accessOf(workflow) ?? {}));
  return callers.run({ functionModule: `${workflow}-state-machine`, grants }, invoke);
}

/** The function module the current code runs as, if it runs inside a handler invocation. */
export function currentCaller(): FunctionCaller | undefined {
  return callers.getStore();
}
