import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { DefinitionBody, Pass, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { describe, expect, it } from 'vitest';
import { INGEST_WORKFLOW, MONTH_RUN_WORKFLOW } from '#pipelines/workflows.ts';
import { WorkflowStateMachine } from '../../infra/constructs/workflow-state-machine.ts';
import { grantsOf } from './iam-grants.ts';
import { logicalIdOf, newTestApp } from './synth-payguard.ts';

function prepare() {
  const stack = new Stack(newTestApp(), 'Test');
  const functions = new Map(
    INGEST_WORKFLOW.tasks.map((task) => [
      task.functionModule,
      new LambdaFunction(stack, task.state, {
        runtime: Runtime.NODEJS_24_X,
        handler: 'index.handler',
        code: Code.fromInline('export const handler = async () => ({});'),
      }),
    ]),
  );
  const monthRun = new StateMachine(stack, 'MonthRun', {
    definitionBody: DefinitionBody.fromChainable(new Pass(stack, 'Pass')),
  });
  return { stack, functions, monthRun };
}

describe('WorkflowStateMachine', () => {
  it('refuses a workflow whose started state machine was not passed, naming it and the fix', () => {
    // Prepare
    const { stack, functions } = prepare();

    // Act
    const create = () => new WorkflowStateMachine(stack, 'Ingest', { workflow: INGEST_WORKFLOW, functions });

    // Assess
    expect(create).toThrow(
      'Workflow "ingest" state StartMonthRun starts workflow "month-run", whose state machine was not passed; ' +
        'create it first and pass it in props.stateMachines (have: none)',
    );
  });

  it('substitutes the started state machine ARN and may start exactly that machine', () => {
    // Prepare
    const { stack, functions, monthRun } = prepare();

    // Act
    const ingest = new WorkflowStateMachine(stack, 'Ingest', {
      workflow: INGEST_WORKFLOW,
      functions,
      stateMachines: new Map([['month-run', monthRun]]),
    });

    // Assess
    const template = Template.fromStack(stack);
    const resource = template.findResources('AWS::StepFunctions::StateMachine')[logicalIdOf(ingest)];
    expect(resource?.Properties.DefinitionSubstitutions.MonthRunStateMachineArn).toEqual({
      Ref: logicalIdOf(monthRun),
    });
    const grants = grantsOf(
      template,
      logicalIdOf(ingest.role),
      new Map([[logicalIdOf(monthRun), 'MonthRun']]),
    );
    expect(grants.MonthRun).toEqual(['states:StartExecution']);
    expect(
      Object.entries(grants).filter(([, actions]) => actions.some((a) => a.startsWith('states:'))),
    ).toEqual([['MonthRun', ['states:StartExecution']]]);
  });

  it('refuses a workflow with a distributed Map reading the bucket when no bucket is passed, naming the fix', () => {
    // Prepare
    const stack = new Stack(newTestApp(), 'Test');
    const functions = new Map(
      MONTH_RUN_WORKFLOW.tasks.map((task) => [
        task.functionModule,
        new LambdaFunction(stack, task.state, {
          runtime: Runtime.NODEJS_24_X,
          handler: 'index.handler',
          code: Code.fromInline('export const handler = async () => ({});'),
        }),
      ]),
    );

    // Act
    const create = () =>
      new WorkflowStateMachine(stack, 'MonthRun', { workflow: MONTH_RUN_WORKFLOW, functions });

    // Assess
    expect(create).toThrow(
      'Workflow state machine Test/MonthRun reads or writes the data bucket (WORKFLOW_BUCKET_ACCESS of ' +
        'pipelines/bucket-access.ts); pass it in props.bucket',
    );
  });
});
