import { Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { readDefinition, type WorkflowDefinition } from '#pipelines/workflows.ts';

/** Properties of a {@link WorkflowStateMachine}. */
export interface WorkflowStateMachineProps {
  /** The workflow: its ASL file and the tasks it calls. */
  readonly workflow: WorkflowDefinition;
  /** The function serving each task, keyed by the task's `functionModule`. */
  readonly functions: ReadonlyMap<string, IFunction>;
  /** @default RetentionDays.ONE_YEAR */
  readonly logRetention?: RetentionDays;
}

/**
 * A Standard state machine running one workflow's ASL file as-is: each task's `${...FunctionArn}`
 * placeholder is filled through `definitionSubstitutions`, so the local runner and AWS execute the
 * same text. Its role may invoke exactly the workflow's functions (unqualified ARNs, as the ASL
 * names them). Logs every event (without execution data) and traces with X-Ray.
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
    const logs = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_YEAR,
    });
    super(scope, id, {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(readDefinition(workflow)),
      definitionSubstitutions: Object.fromEntries(
        taskFunctions.map(({ task, fn }) => [task.arnSubstitution, fn.functionArn]),
      ),
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
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Added by Step Functions logging (logs:CreateLogDelivery, logs:*LogDelivery*, logs:DescribeLogGroups, ' +
        'logs:PutResourcePolicy) and X-Ray tracing (xray:PutTraceSegments and friends); none supports resource-level ' +
        'permissions. Lambda invocation names each function ARN.',
    });
  }
}
