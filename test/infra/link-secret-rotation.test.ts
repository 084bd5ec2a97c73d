import { describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '#domain/month-check/pipeline-config.ts';
import { ROTATE_LINK_SECRET_MODULE } from '#pipelines/standalone-functions.ts';
import { LINK_KEY_ROTATION } from '../../infra/payguard-stack.ts';
import { functionOf, logicalIdOf, synthPayguard } from './synth-payguard.ts';

describe('link secret rotation', () => {
  it('rotates the link secret every 30 days with the rotate-link-secret function', () => {
    // Prepare
    const { stack, template } = synthPayguard();

    // Act
    const schedules = Object.values(template.findResources('AWS::SecretsManager::RotationSchedule'));

    // Assess
    expect(schedules).toHaveLength(1);
    expect(schedules[0]?.Properties).toEqual({
      SecretId: { Ref: logicalIdOf(stack.linkSecret) },
      RotationLambdaARN: { 'Fn::GetAtt': [logicalIdOf(functionOf(ROTATE_LINK_SECRET_MODULE)), 'Arn'] },
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
  });

  it('rotates less often than the longest link lives, so a link’s key is at worst the previous one', () => {
    // Act
    const longest = parsePipelineConfig(JSON.stringify({ approvalLinkHours: 168 })).approvalLinkHours;
    const longer = () => parsePipelineConfig(JSON.stringify({ approvalLinkHours: 169 }));

    // Assess
    expect(longer).toThrow(/1 to 168/);
    expect(LINK_KEY_ROTATION.toHours()).toBeGreaterThan(longest);
  });
});
