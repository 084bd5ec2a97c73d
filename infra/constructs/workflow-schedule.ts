import { ArnFormat, Duration, Stack, TimeZone } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { deadLetterAlarm, deadLetterQueue } from './dead-letter.ts';

/** Properties of a {@link WorkflowSchedule}. */
export interface WorkflowScheduleProps {
  /** The state machine to start. */
  readonly stateMachine: IStateMachine;
  /** Name of the started workflow, for the schedule and alarm descriptions. */
  readonly workflowName: string;
  /** When to start it: `cron(minutes hours day-of-month month day-of-week year)`. */
  readonly expression: string;
  /** IANA time zone the cron fields are read in, e.g. `Asia/Shanghai`. */
  readonly timeZone: string;
  /** The execution input, a JSON object (tokens such as a bucket name are resolved at deploy time). */
  readonly input: Readonly<Record<string, unknown>>;
}

/**
 * Starts a workflow on an EventBridge Scheduler cron schedule in a given time zone (no flexible
 * window), with a fixed JSON input. Scheduler assumes a role of its own that may start only that
 * state machine and park failed starts in the DLQ, and only on behalf of schedules of this account's
 * `default` schedule group. Failed starts are retried for up to a day, then parked in an encrypted,
 * TLS-only dead-letter queue with an alarm on it: a month nobody watched.
 */
export class WorkflowSchedule extends Construct {
  /** The EventBridge Scheduler schedule. */
  readonly schedule: Schedule;
  /** The role Scheduler assumes to start the state machine. */
  readonly role: Role;
  /** Starts that failed after all retries. */
  readonly deadLetterQueue: Queue;
  /** In alarm while the dead-letter queue holds any start. */
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: WorkflowScheduleProps) {
    super(scope, id);
    const { workflowName, expression, timeZone } = props;
    const stack = Stack.of(this);

    this.deadLetterQueue = deadLetterQueue(this, `${workflowName} schedule's target`);

    // Like the role Scheduler targets create by default, but kept under this construct.
    this.role = new Role(this, 'Role', {
      description: `Assumed by EventBridge Scheduler to start ${workflowName}`,
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
      description: `Starts ${workflowName}: ${expression} in ${timeZone}`,
      schedule: ScheduleExpression.expression(expression, TimeZone.of(timeZone)),
      target: new StepFunctionsStartExecution(props.stateMachine, {
        role: this.role,
        input: ScheduleTargetInput.fromObject(props.input),
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 185,
        maxEventAge: Duration.hours(24),
      }),
    });

    this.deadLetterAlarm = deadLetterAlarm(
      this,
      this.deadLetterQueue,
      `The ${workflowName} schedule could not start its workflow; the failed start is in the DLQ.`,
    );
  }
}
