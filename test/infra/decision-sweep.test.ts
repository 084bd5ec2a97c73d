import { describe, expect, it } from 'vitest';
import { DELIVER_DECISIONS_MODULE } from '#pipelines/standalone-functions.ts';
import { DECISION_SWEEP_PERIOD } from '../../infra/payguard-stack.ts';
import { grantsOf } from './iam-grants.ts';
import { functionOf, logicalIdOf, synthPayguard } from './synth-payguard.ts';

describe('decision-delivery sweep', () => {
  it('invokes deliver-decisions every 10 minutes, through a role that may invoke only it', () => {
    // Prepare
    const { stack, template } = synthPayguard();
    const fn = functionOf(DELIVER_DECISIONS_MODULE);

    // Act
    const schedule =
      template.findResources('AWS::Scheduler::Schedule')[logicalIdOf(stack.decisionSweep.schedule)];
    const roleGrants = grantsOf(
      template,
      logicalIdOf(stack.decisionSweep.role),
      new Map([[logicalIdOf(fn), 'DeliverDecisions']]),
    );

    // Assess
    expect(DECISION_SWEEP_PERIOD.toMinutes()).toBe(10);
    expect(schedule?.Properties).toMatchObject({
      ScheduleExpression: 'rate(10 minutes)',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [logicalIdOf(fn), 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [logicalIdOf(stack.decisionSweep.role), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 0 },
      },
    });
    expect(roleGrants).toEqual({
      DeliverDecisions: ['lambda:InvokeFunction'],
      'DeliverDecisions:*': ['lambda:InvokeFunction'],
    });
  });

  it('gives the sweep the state table items it lists, settles and forgets, the audit trail and SendTaskSuccess; no bucket', () => {
    // Prepare
    const { stack, template } = synthPayguard();
    const fn = functionOf(DELIVER_DECISIONS_MODULE);
    const names = new Map([
      [logicalIdOf(stack.stateTable), 'StateTable'],
      [logicalIdOf(stack.auditTable), 'AuditTable'],
      [logicalIdOf(fn.logGroup), 'Logs'],
    ]);

    // Act
    const grants = grantsOf(template, logicalIdOf(fn.executionRole), names);

    // Assess
    expect(grants).toEqual({
      '*': ['states:SendTaskSuccess', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
      Logs: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      StateTable: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
      AuditTable: ['dynamodb:PutItem'],
    });
  });
});
