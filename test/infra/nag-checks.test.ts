import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { describe, expect, it } from 'vitest';
import { BUCKET_ACCESS, bucketGrantsOf } from '#pipelines/bucket-access.ts';
import { addNagChecks } from '../../infra/nag-checks.ts';
import { composeApp } from '../../infra/payguard-app.ts';
import { newTestApp } from './synth-payguard.ts';

interface ValidationReport {
  readonly pluginReports: readonly { readonly pluginName: string; readonly violations: readonly unknown[] }[];
}

const readReport = (directory: string): ValidationReport =>
  JSON.parse(readFileSync(join(directory, VALIDATION_REPORT_FILE), 'utf8')) as ValidationReport;

/** The acknowledged rule IDs the stack carries, from the `cdk_nag` metadata of its resources. */
function acknowledgedIds(template: Template): string[] {
  const ids = new Set<string>();
  for (const resource of Object.values(
    template.toJSON().Resources as Record<string, { Metadata?: unknown }>,
  )) {
    const rules = (resource.Metadata as { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } })
      ?.cdk_nag;
    for (const { id, reason } of rules?.rules_to_suppress ?? []) {
      expect(reason.length, `reason of ${id}`).toBeGreaterThan(40);
      ids.add(id.replace(/<([A-Za-z]+?)[0-9A-F]{8}\.(Arn|Name)>/g, '<$1.$2>'));
    }
  }
  return [...ids].sort();
}

describe('addNagChecks', () => {
  it('lets the payguard app synthesize with no unacknowledged AwsSolutions finding', () => {
    // Prepare
    const app = newTestApp();
    composeApp(app);

    // Act
    const assembly = app.synth();

    // Assess
    const nag = readReport(assembly.directory).pluginReports.filter((r) => r.pluginName === 'AwsSolutions');
    expect(nag.flatMap((r) => r.violations)).toEqual([]);
  });

  it('acknowledges only the reviewed findings, each with a reason', () => {
    // Prepare
    const app = newTestApp();
    const stack = composeApp(app);

    // Act
    const ids = acknowledgedIds(Template.fromStack(stack));

    // Assess: the object keys of the key families granted, where a family's key has a wildcard.
    const wildcardGrants = Object.values(BUCKET_ACCESS)
      .map(bucketGrantsOf)
      .flatMap((grants) => [...grants.getObject, ...grants.putObject])
      .filter((pattern) => pattern.includes('*'));
    expect(wildcardGrants).toContain('reports/????-??/runs/*/manifest.json');
    expect(ids).toEqual(
      [
        'AwsSolutions-APIG4',
        'AwsSolutions-IAM5[Resource::*]',
        // The decision sweep's schedule may invoke its function's versions and aliases too.
        'AwsSolutions-IAM5[Resource::<DeliverDecisionsFunction.Arn>:*]',
        // The month run's distributed Map describes and stops executions of its own state machine.
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<MonthRunWorkflow.Name>:*]',
        ...new Set(
          wildcardGrants.map((pattern) => `AwsSolutions-IAM5[Resource::<DataBucket.Arn>/${pattern}]`),
        ),
        'AwsSolutions-SQS3',
      ].sort(),
    );
  });

  it('acknowledges the approval-site and dead-letter-queue findings only where they apply, and no secret finding', () => {
    // Prepare
    const app = newTestApp();
    const stack = composeApp(app);
    const resources = Template.fromStack(stack).toJSON().Resources as Record<
      string,
      { Type: string; Properties: Record<string, unknown>; Metadata?: unknown }
    >;

    // Act
    const carriers = (id: string) =>
      Object.values(resources)
        .filter((r) =>
          (
            r.Metadata as { cdk_nag?: { rules_to_suppress: { id: string }[] } } | undefined
          )?.cdk_nag?.rules_to_suppress.some((rule) => rule.id === id),
        )
        .map((r) => `${r.Type} ${String(r.Properties.RouteKey ?? r.Properties.Description ?? '')}`.trim())
        .sort();

    // Assess
    expect(carriers('AwsSolutions-APIG4')).toEqual([
      'AWS::ApiGatewayV2::Route GET /approval',
      // The town desk's routes: the same signed links and sessions stand for the authorizer.
      'AWS::ApiGatewayV2::Route GET /desk/home',
      'AWS::ApiGatewayV2::Route GET /desk/open',
      'AWS::ApiGatewayV2::Route GET /desk/report',
      'AWS::ApiGatewayV2::Route GET /report',
      'AWS::ApiGatewayV2::Route POST /approval',
      'AWS::ApiGatewayV2::Route POST /desk/open',
      'AWS::ApiGatewayV2::Route POST /desk/upload',
    ]);
    // The link secret rotates (Secrets Manager rotation), so nothing needs SMG4 acknowledged.
    expect(carriers('AwsSolutions-SMG4')).toEqual([]);
    // Each dead-letter queue (three triggers and the month-watch schedule), on the queue and its policy.
    expect(carriers('AwsSolutions-SQS3')).toEqual([
      ...Array(4).fill('AWS::SQS::Queue'),
      ...Array(4).fill('AWS::SQS::QueuePolicy'),
    ]);
  });

  it('fails synthesis when a resource in the app breaks a rule', () => {
    // Prepare
    const app = newTestApp();
    composeApp(app);
    new Bucket(new Stack(app, 'Throwaway'), 'UnloggedBucket');

    // Act
    const synth = () => app.synth();

    // Assess
    expect(synth).toThrow(/AwsSolutions-S1[\s\S]*Throwaway\/UnloggedBucket/);
  });

  it('fails synthesis on a wildcard next to acknowledged ones', () => {
    // Prepare
    const app = newTestApp();
    const stack = composeApp(app);
    stack.functions
      .get('validate-roster')
      ?.addToRolePolicy(
        new PolicyStatement({ actions: ['s3:GetObject'], resources: [stack.data.bucket.arnForObjects('*')] }),
      );

    // Act
    const synth = () => app.synth();

    // Assess
    expect(synth).toThrow(/AwsSolutions-IAM5\[Resource::<DataBucket[0-9A-F]{8}\.Arn>\/\*\]/);
  });

  it('accepts a finding once it is acknowledged on the resource', () => {
    // Prepare
    const app = newTestApp();
    addNagChecks(app);
    const bucket = new Bucket(new Stack(app, 'Throwaway'), 'Bucket', { enforceSSL: true });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'test: logging is not the point here',
    });

    // Act
    const synth = () => app.synth();

    // Assess
    expect(synth).not.toThrow();
  });
});
