import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Match, Rule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { INGEST_TRIGGER } from '#pipelines/triggers.ts';

/** Properties of an {@link IngestTrigger}. */
export interface IngestTriggerProps {
  /** The bucket whose uploads start ingest; must send its events to EventBridge. */
  readonly bucket: IBucket;
  /** The ingest state machine; it receives the whole EventBridge event as input. */
  readonly stateMachine: IStateMachine;
}

/**
 * Starts the ingest workflow for every object created under `incoming/` of the data bucket
 * (pattern from `pipelines/triggers.ts`, shared with the local event bridge). Failed starts are
 * retried for up to a day, then parked in an encrypted dead-letter queue with an alarm on it:
 * an upload that never started ingest is a roster nobody checked.
 */
export class IngestTrigger extends Construct {
  /** The EventBridge rule. */
  readonly rule: Rule;
  /** Events whose target could not be started after all retries. */
  readonly deadLetterQueue: Queue;
  /** In alarm while the dead-letter queue holds any event. */
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: IngestTriggerProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the ingest EventBridge target; a further DLQ behind it ' +
        'would only move the same events again.',
    });

    this.rule = new Rule(this, 'Rule', {
      description: `Starts ingest for objects created under ${INGEST_TRIGGER.keyPrefix} of the data bucket`,
      eventPattern: {
        source: [INGEST_TRIGGER.source],
        detailType: [INGEST_TRIGGER.detailType],
        detail: {
          bucket: { name: [props.bucket.bucketName] },
          object: { key: Match.prefix(INGEST_TRIGGER.keyPrefix) },
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

    this.deadLetterAlarm = new Alarm(this, 'DeadLetterAlarm', {
      alarmDescription:
        'An upload under incoming/ could not start the ingest workflow; its event is in the DLQ.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
