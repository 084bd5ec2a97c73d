import { readFileSync } from 'node:fs';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import type { PayguardFunction } from '../../infra/constructs/payguard-function.ts';
import type { WorkflowStateMachine } from '../../infra/constructs/workflow-state-machine.ts';
import { composeApp } from '../../infra/payguard-app.ts';
import { type PayguardStack, PROJECT_ROOT } from '../../infra/payguard-stack.ts';

/** The context of the repository's `cdk.json` (stage, example contacts and sender), as the CLI passes it. */
export const CDK_JSON_CONTEXT: Readonly<Record<string, unknown>> = (
  JSON.parse(readFileSync(`${PROJECT_ROOT}/cdk.json`, 'utf8')) as { context: Record<string, unknown> }
).context;

/**
 * An App that skips asset bundling, with the `cdk.json` context overridden by `context`: fine for
 * assertions, never to be deployed.
 */
export const newTestApp = (context: Record<string, unknown> = {}): App =>
  new App({ context: { 'aws:cdk:bundling-stacks': [], ...CDK_JSON_CONTEXT, ...context } });

/** A synthesized payguard stack (cdk-nag checks included) and its template. */
export interface SynthesizedPayguard {
  readonly app: App;
  readonly stack: PayguardStack;
  readonly template: Template;
}

let shared: SynthesizedPayguard | undefined;

/** The payguard app of the default stage, synthesized once per test file; treat it as read-only. */
export function synthPayguard(): SynthesizedPayguard {
  if (!shared) {
    const app = newTestApp();
    const stack = composeApp(app);
    shared = { app, stack, template: Template.fromStack(stack) };
  }
  return shared;
}

/** The logical ID of `construct` (or of its default CloudFormation resource). */
export function logicalIdOf(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  const stack = Stack.of(construct);
  return stack.resolve(stack.getLogicalId(element)) as string;
}

/** The payguard state machine of `workflow` (a name from `pipelines/workflows.ts`). */
export function workflowOf(workflow: string): WorkflowStateMachine {
  const machine = synthPayguard().stack.workflows.get(workflow);
  if (!machine) throw new Error(`the payguard stack has no state machine for workflow "${workflow}"`);
  return machine;
}

/** The payguard function of `module` (a module under `functions/`). */
export function functionOf(module: string): PayguardFunction {
  const fn = synthPayguard().stack.functions.get(module);
  if (!fn) throw new Error(`the payguard stack has no function for module "${module}"`);
  return fn;
}
