import { Stack } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { wildcardResourceFinding } from '../../infra/nag-finding.ts';
import { logicalIdOf, newTestApp } from './synth-payguard.ts';

describe('wildcardResourceFinding', () => {
  it('names a prefix of a bucket in the stack the way cdk-nag does', () => {
    // Prepare
    const stack = new Stack(newTestApp(), 'Test');
    const bucket = new Bucket(stack, 'Data');

    // Act
    const id = wildcardResourceFinding(stack, bucket.arnForObjects('incoming/*'));

    // Assess
    expect(id).toBe(`AwsSolutions-IAM5[Resource::<${logicalIdOf(bucket)}.Arn>/incoming/*]`);
  });

  it('names a literal ARN as it is', () => {
    // Prepare
    const stack = new Stack(newTestApp(), 'Test');

    // Act
    const id = wildcardResourceFinding(stack, 'arn:aws:s3:::elsewhere/reports/*');

    // Assess
    expect(id).toBe('AwsSolutions-IAM5[Resource::arn:aws:s3:::elsewhere/reports/*]');
  });
});
