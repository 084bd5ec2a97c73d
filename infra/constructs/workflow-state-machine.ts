import { Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  DefinitionBody,
  type IStateMachine,
  LogLevel,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { readDefinition, type WorkflowDefinition } from '#pipelines/workflows.ts';

/** Properties of a {@link WorkflowStateMachine}. */
export interface WorkflowStateMachineProps {
  /** The workflow: its ASL file and the tasks it calls. */
  readonly workflow: WorkflowDefinition;
  /** The function serving each task, keyed by the task's `functionModule`. */
  readonly functions: ReadonlyMap<string, IFunction>;
  /**
   * The state machines the workflow starts (its `starts`), keyed by workflow name; create them
   * first so their ARNs can be substituted.
   * @default - none; a workflow with `starts` then fails to build
   */
  readonly stateMachines?: ReadonlyMap<string, IStateMachine>;
  /** @default RetentionDays.ONE_YEAR */
  readonly logRetention?: RetentionDays;
}

/**
 * A Standard state machine running one workflow's ASL file as-is: each task's `${...FunctionArn}`
 * placeholder and each started workflow's `${...StateMachineArn}` placeholder is filled through
 * `definitionSubstitutions`, so the local runner and AWS execute the same text. Its role may invoke
 * exactly the workflow's functions (unqualified ARNs, as the ASL names them) and start exactly the
 * state machines of its `starts` (`states:StartExecution`, fire-and-forget, so nothing to describe
 * or stop). Logs every event (without execution data) and traces with X-Ray.
 */
export class WorkflowStateMachine extends StateMachine {
  constructor(scope: Construct, id: string, props: WorkflowStateMachineProps) {
    const { workflow, functions } = props;
    const taskFunctions = workflow.tasks.map((task) => {
      const fn = functions.get(task.functionModule);
      if (!fn) {
        throw new Error(
          `Workflow "${workflow.name}" task ${task.state} needs function "${task.functionModule}", which was not ` +
            `passed; pass a function for it in props.functions (have: ${[...functions.keys()].join(', ') || 'none'})`,
        );
      }
      return { task, fn };
    });
    const started = (workflow.starts ?? []).map((start) => {
      const machine = props.stateMachines?.get(start.workflow);
      if (!machine) {
        throw new Error(
          `Workflow "${workflow.name}" state ${start.state} starts workflow "${start.workflow}", whose state machine ` +
            'was not passed; create it first and pass it in props.stateMachines ' +
            `(have: ${[...(props.stateMachines?.keys() ?? [])].join(', ') || 'none'})`,
        );
      }
      return { start, machine };
    });
    const logs = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_YEAR,
    });
    super(scope, id, {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(readDefinition(workflow)),
      definitionSubstitutions: Object.fromEntries([
        ...taskFunctions.map(({ task, fn }) => [task.arnSubstitution, fn.functionArn]),
        ...started.map(({ start, machine }) => [start.arnSubstitution, machine.stateMachineArn]),
      ]),
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    const invocable = [...new Set(taskFunctions.map(({ fn }) => fn))];
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: invocable.map((fn) => fn.functionArn),
      }),
    );
    const startable = [...new Set(started.map(({ machine }) => machine))];
    if (startable.length > 0) {
      this.addToRolePolicy(
        new PolicyStatement({
          actions: ['states:StartExecution'],
          resources: startable.map((machine) => machine.stateMachineArn),
        }),
      );
    }
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Added by Step Functions logging (logs:CreateLogDelivery, logs:*LogDelivery*, logs:DescribeLogGroups, ' +
        'logs:PutResourcePolicy) and X-Ray tracing (xray:PutTraceSegments and friends); none supports resource-level ' +
        'permissions. Lambda invocation names each function ARN, states:StartExecution each started state machine ARN.',
    });
  }
}
