import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { EventField, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/** Properties of {@link OperationsAlerts}. */
export interface OperationsAlertsProps {
  /** The operations contact's e-mail addresses; each is subscribed (and must confirm once). */
  readonly emails: readonly string[];
}

/** The execution states of the Step Functions "Execution Status Change" event that need a person. */
export const FAILED_EXECUTION_STATES = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;

/**
 * Where the pipeline's own failures reach a person: an SNS topic with an e-mail subscription per
 * operations contact, encrypted with a rotating customer-managed key (CloudWatch and EventBridge
 * cannot publish to a topic under the AWS-managed SNS key), TLS only. Alarms send to it
 * ({@link notifyOnAlarm}); so does an EventBridge rule on failed, timed-out or aborted executions
 * of the given state machines ({@link notifyOnFailedExecutions}).
 */
export class OperationsAlerts extends Construct {
  readonly key: Key;
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: OperationsAlertsProps) {
    super(scope, id);
    if (props.emails.length === 0) {
      throw new Error(
        `${this.node.path} got no e-mail address; pass the operations contact (contacts "operations") so alarms reach a person`,
      );
    }
    this.key = new Key(this, 'Key', {
      description: 'payguard: encrypts the operations alerts topic',
      enableKeyRotation: true,
    });
    for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com']) {
      this.key.grant(new ServicePrincipal(service), 'kms:Decrypt', 'kms:GenerateDataKey*');
    }
    this.topic = new Topic(this, 'Topic', {
      displayName: 'payguard operations',
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const email of props.emails) this.topic.addSubscription(new EmailSubscription(email));
  }

  /** Mails the operations contact when `alarm` goes into ALARM. */
  notifyOnAlarm(alarm: Alarm): void {
    alarm.addAlarmAction(new SnsAction(this.topic));
  }

  /**
   * Mails the operations contact, in a few readable lines (never the execution's input or output,
   * which may hold personal data), whenever an execution of one of `stateMachines` ends FAILED,
   * TIMED_OUT or ABORTED. The rule is `FailedExecutionRule` under this construct.
   */
  notifyOnFailedExecutions(stateMachines: readonly IStateMachine[]): Rule {
    if (stateMachines.length === 0) {
      throw new Error(
        `${this.node.path}.notifyOnFailedExecutions got no state machine; pass the stack's workflows`,
      );
    }
    const field = (path: string) => EventField.fromPath(path);
    return new Rule(this, 'FailedExecutionRule', {
      description:
        'payguard: a workflow execution failed, timed out or was aborted; tell the operations contact',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: [...FAILED_EXECUTION_STATES],
          stateMachineArn: stateMachines.map((machine) => machine.stateMachineArn),
        },
      },
      targets: [
        new SnsTopic(this.topic, {
          message: RuleTargetInput.fromMultilineText(
            [
              `payguard: a workflow execution ended ${field('$.detail.status')}.`,
              `State machine: ${field('$.detail.stateMachineArn')}`,
              `Execution: ${field('$.detail.name')} (started ${field('$.detail.startDate')}, stopped ${field('$.detail.stopDate')})`,
              `Error: ${field('$.detail.error')}`,
              `Details: https://console.aws.amazon.com/states/home?region=${EventField.region}#/v2/executions/details/${field('$.detail.executionArn')}`,
            ].join('\n'),
          ),
        }),
      ],
    });
  }
}
