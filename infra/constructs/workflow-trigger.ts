import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Match, Rule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { deadLetterAlarm, deadLetterQueue } from './dead-letter.ts';

/** An S3 "Object Created" trigger, as `pipelines/triggers.ts` describes it. */
export interface ObjectCreatedTrigger {
  /** Event source, `aws.s3`. */
  readonly source: string;
  /** Event detail type, `Object Created`. */
  readonly detailType: string;
}

/** Properties of a {@link WorkflowTrigger}. */
export interface WorkflowTriggerProps {
  /** The bucket whose new objects start the workflow; must send its events to EventBridge. */
  readonly bucket: IBucket;
  /** Source and detail type of the events, from `pipelines/triggers.ts`. */
  readonly trigger: ObjectCreatedTrigger;
  /** Top-level folders like `incoming/`; an object created under any of them starts the workflow. */
  readonly keyPrefixes: readonly string[];
  /** Name of the started workflow, for the rule and alarm descriptions. */
  readonly workflowName: string;
  /** The state machine; it receives the whole EventBridge event as input. */
  readonly stateMachine: IStateMachine;
}

/**
 * Starts a workflow for every object created under the given folders of the data bucket
 * (pattern from `pipelines/triggers.ts`, shared with the local event bridge). Failed starts are
 * retried for up to a day, then parked in an encrypted dead-letter queue with an alarm on it:
 * an object that never started its workflow is a file nobody checked.
 */
export class WorkflowTrigger extends Construct {
  /** The EventBridge rule. */
  readonly rule: Rule;
  /** Events whose target could not be started after all retries. */
  readonly deadLetterQueue: Queue;
  /** In alarm while the dead-letter queue holds any event. */
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: WorkflowTriggerProps) {
    super(scope, id);
    const { keyPrefixes, workflowName, trigger } = props;
    if (keyPrefixes.length === 0) {
      throw new Error(`${this.node.path} got no key prefixes; pass at least one folder, e.g. ['incoming/']`);
    }
    const folders = keyPrefixes.join(', ');

    this.deadLetterQueue = deadLetterQueue(this, `${workflowName} EventBridge target`);

    this.rule = new Rule(this, 'Rule', {
      description: `Starts ${workflowName} for objects created under ${folders} of the data bucket`,
      eventPattern: {
        source: [trigger.source],
        detailType: [trigger.detailType],
        detail: {
          bucket: { name: [props.bucket.bucketName] },
          object: { key: Match.anyOf(...keyPrefixes.map((prefix) => Match.prefix(prefix))) },
        },
      },
    });
    this.rule.addTarget(
      new SfnStateMachine(props.stateMachine, {
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 185,
        maxEventAge: Duration.hours(24),
      }),
    );

    this.deadLetterAlarm = deadLetterAlarm(
      this,
      this.deadLetterQueue,
      `An object under ${folders} could not start the ${workflowName} workflow; its event is in the DLQ.`,
    );
  }
}
