import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  DefinitionBody,
  type IStateMachine,
  LogLevel,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { wildcardResourceFinding } from '#infra/nag-finding.ts';
import { type WorkflowBucketAccess, workflowBucketAccessOf } from '#pipelines/bucket-access.ts';
import { distributedMapsOf, readDefinition, type WorkflowDefinition } from '#pipelines/workflows.ts';

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
  /**
   * The data bucket the workflow's distributed Maps read their items from and write their results
   * to (what `WORKFLOW_BUCKET_ACCESS` of `pipelines/bucket-access.ts` declares for it).
   * @default - none; a workflow with a distributed Map or bucket access then fails to build
   */
  readonly bucket?: IBucket;
}

/**
 * What the AWS documentation asks of the role of a state machine with a Distributed Map whose
 * ResultWriter writes to S3 ("IAM policies for ResultWriter",
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html): the object
 * is written in parts, read back, and an upload that fails is aborted.
 */
export const RESULT_WRITER_ACTIONS = [
  's3:PutObject',
  's3:GetObject',
  's3:ListMultipartUploadParts',
  's3:AbortMultipartUpload',
] as const;

/** What a Distributed Map's ItemReader with `arn:aws:states:::s3:getObject` needs of its object. */
export const ITEM_READER_ACTIONS = ['s3:GetObject'] as const;

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
    const maps = distributedMapsOf(workflow);
    const access = workflowBucketAccessOf(workflow.name);
    if (maps.length > 0 || access !== undefined) this.bindDistributedMaps(maps, access, props.bucket);
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Added by Step Functions logging (logs:CreateLogDelivery, logs:*LogDelivery*, logs:DescribeLogGroups, ' +
        'logs:PutResourcePolicy) and X-Ray tracing (xray:PutTraceSegments and friends); none supports resource-level ' +
        'permissions. Lambda invocation names each function ARN, states:StartExecution each started state machine ARN.',
    });
  }

  /**
   * Grants the role what a Distributed Map needs (https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html):
   * `states:StartExecution` on this state machine (each map run starts child executions of it),
   * `states:DescribeExecution` and `states:StopExecution` on its executions, and, for the key
   * families the workflow declares (`WORKFLOW_BUCKET_ACCESS`), the ItemReader's `s3:GetObject` and
   * the ResultWriter's actions, with the bucket key's use through S3. They live in a policy of their
   * own: it names this state machine, which itself depends on the role's default policy.
   */
  private bindDistributedMaps(
    maps: readonly string[],
    access: WorkflowBucketAccess | undefined,
    bucket: IBucket | undefined,
  ): void {
    const stack = Stack.of(this);
    const executions = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${this.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const statements: PolicyStatement[] = [];
    if (maps.length > 0) {
      statements.push(
        new PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachineArn] }),
        new PolicyStatement({
          actions: ['states:DescribeExecution', 'states:StopExecution'],
          resources: [executions],
        }),
      );
    }
    const reads = (access?.itemReader ?? []).map((s) => s.pattern);
    const writes = (access?.resultWriter ?? []).map((s) => s.pattern);
    if (reads.length + writes.length > 0 && bucket === undefined) {
      throw new Error(
        `Workflow state machine ${this.node.path} reads or writes the data bucket (WORKFLOW_BUCKET_ACCESS of ` +
          'pipelines/bucket-access.ts); pass it in props.bucket',
      );
    }
    const viaS3 = { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } };
    if (bucket && reads.length > 0) {
      statements.push(
        new PolicyStatement({
          actions: [...ITEM_READER_ACTIONS],
          resources: reads.map((p) => bucket.arnForObjects(p)),
        }),
      );
    }
    if (bucket && writes.length > 0) {
      statements.push(
        new PolicyStatement({
          actions: [...RESULT_WRITER_ACTIONS],
          resources: writes.map((p) => bucket.arnForObjects(p)),
        }),
      );
    }
    if (bucket?.encryptionKey && reads.length + writes.length > 0) {
      const actions = writes.length > 0 ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'];
      statements.push(
        new PolicyStatement({ actions, resources: [bucket.encryptionKey.keyArn], conditions: viaS3 }),
      );
    }
    const policy = new Policy(this, 'DistributedMapPolicy', { roles: [this.role], statements });
    const wildcards = [
      ...(maps.length > 0
        ? [{ resource: executions, why: 'the executions of this one state machine (any execution name)' }]
        : []),
      ...[...reads, ...writes]
        .filter((p) => p.includes('*'))
        .map((p) => ({
          resource: bucket?.arnForObjects(p) ?? p,
          why:
            `one key family of the data bucket (${p}, schemas/bucket-layout.ts); its wildcards stand for the parts of ` +
            'the key that vary per run and map run (months are ????-??)',
        })),
    ];
    for (const { resource, why } of wildcards) {
      Validations.of(policy).acknowledge({
        id: wildcardResourceFinding(this, resource),
        reason: `The Distributed Map's documented permissions, scoped to ${why}.`,
      });
    }
  }
}
