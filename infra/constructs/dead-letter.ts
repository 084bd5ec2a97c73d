import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * The dead-letter queue (`DeadLetterQueue` under `scope`) of a target that starts a workflow:
 * encrypted, TLS only, 14 days. `target` names the target in cdk-nag's acknowledgement (the queue
 * is itself a DLQ, so it has none behind it).
 */
export function deadLetterQueue(scope: Construct, target: string): Queue {
  const queue = new Queue(scope, 'DeadLetterQueue', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      `This queue is itself the dead-letter queue of the ${target}; a further DLQ ` +
      'behind it would only move the same failures again.',
  });
  return queue;
}

/** In alarm (`DeadLetterAlarm` under `scope`) while the dead-letter queue holds anything. */
export function deadLetterAlarm(scope: Construct, queue: Queue, description: string): Alarm {
  return new Alarm(scope, 'DeadLetterAlarm', {
    alarmDescription: description,
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}
