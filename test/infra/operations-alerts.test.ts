import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { OperationsAlerts } from '../../infra/constructs/operations-alerts.ts';
import { CONTACTS_CONTEXT_KEY } from '../../infra/notifications.ts';
import { composeApp } from '../../infra/payguard-app.ts';
import { CDK_JSON_CONTEXT, logicalIdOf, newTestApp, synthPayguard } from './synth-payguard.ts';

const topicRef = () => ({ Ref: logicalIdOf(synthPayguard().stack.operationsAlerts.topic) });

/** A Step Functions "Execution Status Change" event of a failed execution. */
const FAILED_EVENT = {
  region: 'cn-north-1',
  detail: {
    executionArn: 'arn:aws-cn:states:cn-north-1:123456789012:execution:Ingest:abc',
    stateMachineArn: 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:Ingest',
    name: 'abc',
    status: 'FAILED',
    startDate: 1764576000000,
    stopDate: 1764576060000,
    error: 'IngestFailed',
    input: '{"detail":{"object":{"key":"incoming/2026-11/shiqi/roster.csv"}}}',
  },
};

/** What EventBridge makes of `event` with an input transformer: each line of the message. */
function render(
  transformer: { InputPathsMap: Record<string, string>; InputTemplate: string },
  event: object,
) {
  const valueAt = (path: string) =>
    path
      .replace(/^\$\./, '')
      .split('.')
      .reduce<unknown>((value, key) => (value as Record<string, unknown>)?.[key], event);
  const text = transformer.InputTemplate.replace(/<([^>]+)>/g, (_, name: string) =>
    String(valueAt(transformer.InputPathsMap[name] ?? '')),
  );
  return text.split('\n').map((line) => JSON.parse(line) as string);
}

describe('operations alerts', () => {
  it('publish to a topic encrypted with a rotating key that CloudWatch and EventBridge may use, TLS only', () => {
    // Prepare
    const { stack, template } = synthPayguard();
    const { key, topic } = stack.operationsAlerts;

    // Act
    const topicResource = template.findResources('AWS::SNS::Topic')[logicalIdOf(topic)];
    const keyResource = template.findResources('AWS::KMS::Key')[logicalIdOf(key)];

    // Assess
    expect(topicResource?.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [logicalIdOf(key), 'Arn'] });
    expect(keyResource?.Properties.EnableKeyRotation).toBe(true);
    for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com']) {
      expect(keyResource?.Properties.KeyPolicy.Statement).toContainEqual({
        Effect: 'Allow',
        Principal: { Service: service },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
      });
    }
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [topicRef()],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('mail each operations address of the contacts, and nobody else', () => {
    // Prepare
    const contacts = {
      ...(CDK_JSON_CONTEXT[CONTACTS_CONTEXT_KEY] as object),
      operations: ['oncall@mz.county.gov.cn', 'duty.officer@mz.county.gov.cn'],
    };
    const stack = composeApp(newTestApp({ [CONTACTS_CONTEXT_KEY]: contacts }));

    // Act
    const subscriptions = Object.values(Template.fromStack(stack).findResources('AWS::SNS::Subscription'));

    // Assess
    expect(subscriptions.map((s) => s.Properties)).toEqual([
      {
        Protocol: 'email',
        Endpoint: 'oncall@mz.county.gov.cn',
        TopicArn: { Ref: logicalIdOf(stack.operationsAlerts.topic) },
      },
      {
        Protocol: 'email',
        Endpoint: 'duty.officer@mz.county.gov.cn',
        TopicArn: { Ref: logicalIdOf(stack.operationsAlerts.topic) },
      },
    ]);
  });

  it('are what every alarm of the stack does: the dead-letter alarms of the triggers and of the schedule', () => {
    // Prepare
    const { stack, template } = synthPayguard();
    const deadLetterAlarms = [
      stack.ingestTrigger.deadLetterAlarm,
      stack.datasetTrigger.deadLetterAlarm,
      stack.bankReturnsTrigger.deadLetterAlarm,
      stack.monthWatchSchedule.deadLetterAlarm,
    ].map(logicalIdOf);

    // Act
    const alarms = template.findResources('AWS::CloudWatch::Alarm');

    // Assess
    expect(Object.keys(alarms)).toEqual(expect.arrayContaining(deadLetterAlarms));
    for (const alarm of Object.values(alarms)) expect(alarm.Properties.AlarmActions).toEqual([topicRef()]);
  });

  it('mail a failed, timed-out or aborted execution of every workflow of the stack', () => {
    // Prepare
    const { stack, template } = synthPayguard();
    const rule = stack.operationsAlerts.node.findChild('FailedExecutionRule');

    // Act
    const resource = template.findResources('AWS::Events::Rule')[logicalIdOf(rule)];

    // Assess
    expect(resource?.Properties.EventPattern).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: {
        status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
        stateMachineArn: [...stack.workflows.values()].map((machine) => ({ Ref: logicalIdOf(machine) })),
      },
    });
    expect(stack.workflows.size).toBe(5);
    expect(resource?.Properties.Targets).toEqual([
      expect.objectContaining({ Arn: topicRef(), InputTransformer: expect.any(Object) }),
    ]);
  });

  it('say in a few readable lines which execution ended how, without its input or output', () => {
    // Prepare
    const { stack, template } = synthPayguard();
    const rule = stack.operationsAlerts.node.findChild('FailedExecutionRule');
    const [target] = template.findResources('AWS::Events::Rule')[logicalIdOf(rule)]?.Properties.Targets ?? [];

    // Act
    const lines = render(target.InputTransformer, FAILED_EVENT);

    // Assess
    expect(lines).toEqual([
      'payguard: a workflow execution ended FAILED.',
      `State machine: ${FAILED_EVENT.detail.stateMachineArn}`,
      'Execution: abc (started 1764576000000, stopped 1764576060000)',
      'Error: IngestFailed',
      `Details: https://console.aws.amazon.com/states/home?region=cn-north-1#/v2/executions/details/${FAILED_EVENT.detail.executionArn}`,
    ]);
    expect(Object.values(target.InputTransformer.InputPathsMap)).not.toContain('$.detail.input');
    expect(Object.values(target.InputTransformer.InputPathsMap)).not.toContain('$.detail.output');
  });
});

describe('OperationsAlerts', () => {
  it('refuses to be built without an address, saying what to pass', () => {
    // Prepare
    const stack = new Stack(newTestApp(), 'Alerts');

    // Act
    const build = () => new OperationsAlerts(stack, 'Alerts', { emails: [] });

    // Assess
    expect(build).toThrow('Alerts/Alerts got no e-mail address; pass the operations contact');
  });
});
