import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { wildcardResourceFinding } from '#infra/nag-finding.ts';

/** Properties of a {@link FunctionSchedule}. */
export interface FunctionScheduleProps {
  /** The function to invoke (with an empty event). */
  readonly fn: IFunction;
  /** What the function does, for the schedule's description. */
  readonly purpose: string;
  /** How often. */
  readonly every: Duration;
}

/**
 * Invokes a function at a fixed rate on an EventBridge Scheduler schedule. Scheduler assumes a
 * role of its own that may invoke only that function, and only on behalf of schedules of this
 * account's `default` schedule group. An invocation that fails is not retried and has no
 * dead-letter queue: the next one, one period later, does the same work.
 */
export class FunctionSchedule extends Construct {
  readonly schedule: Schedule;
  /** The role Scheduler assumes to invoke the function. */
  readonly role: Role;

  constructor(scope: Construct, id: string, props: FunctionScheduleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new Role(this, 'Role', {
      description: `Assumed by EventBridge Scheduler to invoke the function that ${props.purpose}`,
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({
              service: 'scheduler',
              resource: 'schedule-group',
              resourceName: 'default',
              arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
            }),
          },
        },
      }),
    });
    this.schedule = new Schedule(this, 'Schedule', {
      description: `Every ${props.every.toHumanString()}: ${props.purpose}`,
      schedule: ScheduleExpression.rate(props.every),
      target: new LambdaInvoke(props.fn, {
        role: this.role,
        retryAttempts: 0,
        maxEventAge: Duration.minutes(Math.max(1, Math.floor(props.every.toMinutes()))),
      }),
    });
    Validations.of(this.role).acknowledge({
      id: wildcardResourceFinding(this, `${props.fn.functionArn}:*`),
      reason:
        'The Scheduler target grants lambda:InvokeFunction on the function and on its qualified ARNs ' +
        '(versions and aliases of that one function); the schedule invokes the unqualified function.',
    });
  }
}
