import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import { FUNCTION_BUNDLING } from '#pipelines/function-bundling.ts';
import {
  monthSummary,
  partnerFile,
  pipelineConfig,
  registryFile,
  releaseFile,
  stagedRoster,
  townsFile,
} from '#schemas/bucket-layout.ts';
import { PayguardFunction } from '../../infra/constructs/payguard-function.ts';
import { PROJECT_ROOT } from '../../infra/payguard-stack.ts';
import { grantsOf } from './iam-grants.ts';
import { logicalIdOf, newTestApp } from './synth-payguard.ts';

function prepare() {
  const stack = new Stack(newTestApp(), 'Test');
  const fn = new PayguardFunction(stack, 'Fn', {
    entry: `${PROJECT_ROOT}/functions/register-upload.ts`,
    projectRoot: PROJECT_ROOT,
  });
  const table = new Table(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
  const bucket = new Bucket(stack, 'Bucket');
  return { stack, fn, table, bucket };
}

describe('PayguardFunction', () => {
  it('bundles locally into minified ESM with a createRequire banner and a source map', () => {
    // Prepare
    const app = new App();
    const stack = new Stack(app, 'Bundled');
    new PayguardFunction(stack, 'Fn', {
      entry: fileURLToPath(new URL('./fixtures/echo-handler.ts', import.meta.url)),
      projectRoot: PROJECT_ROOT,
    });

    // Act
    const assembly = app.synth();

    // Assess
    const assetDirs = readdirSync(assembly.directory).filter((d) => d.startsWith('asset.'));
    expect(assetDirs).toHaveLength(1);
    const dir = join(assembly.directory, assetDirs[0] ?? '');
    expect(readdirSync(dir).sort()).toEqual(['index.mjs', 'index.mjs.map']);
    const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
    expect(code.startsWith(FUNCTION_BUNDLING.banner)).toBe(true);
    expect(code).toMatch(/export\s*\{/);
    expect(code.split('\n').length).toBeLessThan(6);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 256,
      Timeout: 30,
    });
  });

  it('grants the audit table PutItem and Query (the chain head) and nothing more', () => {
    // Prepare
    const { stack, fn, table } = prepare();

    // Act
    fn.bindAuditTable(table);

    // Assess
    const names = new Map([
      [logicalIdOf(table), 'Table'],
      [logicalIdOf(fn.logGroup), 'Logs'],
    ]);
    expect(grantsOf(Template.fromStack(stack), logicalIdOf(fn.executionRole), names)).toEqual({
      '*': ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
      Logs: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Table: ['dynamodb:PutItem', 'dynamodb:Query'],
    });
  });

  it('grants GetItem alone for get access to the state table', () => {
    // Prepare
    const { stack, fn, table } = prepare();

    // Act
    fn.bindStateTable(table, 'get');

    // Assess
    const names = new Map([
      [logicalIdOf(table), 'Table'],
      [logicalIdOf(fn.logGroup), 'Logs'],
    ]);
    expect(grantsOf(Template.fromStack(stack), logicalIdOf(fn.executionRole), names)).toEqual({
      '*': ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
      Logs: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Table: ['dynamodb:GetItem'],
    });
  });

  it('puts task-token calls in a policy of their own, on "*", with an acknowledgement naming them', () => {
    // Prepare
    const { stack, fn } = prepare();

    // Act
    fn.bindTaskCallbacks(['states:SendTaskSuccess', 'states:SendTaskFailure']);

    // Assess
    const template = Template.fromStack(stack);
    const policy =
      template.findResources('AWS::IAM::Policy')[logicalIdOf(fn.node.findChild('TaskCallbacks'))];
    expect(policy?.Properties).toMatchObject({
      Roles: [{ Ref: logicalIdOf(fn.executionRole) }],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['states:SendTaskFailure', 'states:SendTaskSuccess'],
            Resource: '*',
          },
        ],
      },
    });
    expect(template.findResources('AWS::Lambda::Function')[logicalIdOf(fn)]?.DependsOn).toContain(
      logicalIdOf(fn.node.findChild('TaskCallbacks')),
    );
  });

  it('refuses task callbacks without actions, or bound twice', () => {
    // Prepare
    const { fn } = prepare();

    // Act
    const none = () => fn.bindTaskCallbacks([]);
    fn.bindTaskCallbacks(['states:SendTaskSuccess']);
    const twice = () => fn.bindTaskCallbacks(['states:SendTaskFailure']);

    // Assess
    expect(none).toThrow('Test/Fn.bindTaskCallbacks got no actions');
    expect(twice).toThrow('Test/Fn already has its task callbacks bound');
  });

  it('reads the link secret with GetSecretValue alone and names it in APPROVAL_LINK_SECRET_ARN', () => {
    // Prepare
    const { stack, fn } = prepare();
    const secret = new Secret(stack, 'Secret');

    // Act
    fn.bindLinkSecret(secret);

    // Assess
    const template = Template.fromStack(stack);
    const names = new Map([
      [logicalIdOf(secret), 'Secret'],
      [logicalIdOf(fn.logGroup), 'Logs'],
    ]);
    expect(grantsOf(template, logicalIdOf(fn.executionRole), names)).toEqual({
      '*': ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
      Logs: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Secret: ['secretsmanager:GetSecretValue'],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ APPROVAL_LINK_SECRET_ARN: { Ref: logicalIdOf(secret) } }),
      },
    });
  });

  it('refuses a link secret under a customer-managed key, which GetSecretValue alone cannot decrypt', () => {
    // Prepare
    const { stack, fn } = prepare();
    const secret = new Secret(stack, 'Secret', { encryptionKey: new Key(stack, 'Key') });

    // Act
    const bind = () => fn.bindLinkSecret(secret);

    // Assess
    expect(bind).toThrow(/customer-managed key/);
  });

  it('sends mail only as the given address, on its address and domain identities', () => {
    // Prepare
    const { stack, fn } = prepare();

    // Act
    fn.bindMailSender('payguard@mz.county.gov.cn');

    // Assess
    const template = Template.fromStack(stack);
    const identity = (name: string) => ({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':ses:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          `:identity/${name}`,
        ],
      ],
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: 'ses:SendEmail',
            Resource: [identity('payguard@mz.county.gov.cn'), identity('mz.county.gov.cn')],
            Condition: { StringEquals: { 'ses:FromAddress': 'payguard@mz.county.gov.cn' } },
          },
        ]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ MAIL_FROM: 'payguard@mz.county.gov.cn' }) },
    });
  });

  it.each(['payguard', 'Payguard <payguard@mz.county.gov.cn>', 'payguard@localhost'])(
    'refuses "%s" as sender, asking for a bare address',
    (address) => {
      // Prepare
      const { fn } = prepare();

      // Act
      const bind = () => fn.bindMailSender(address);

      // Assess
      expect(bind).toThrow(`Test/Fn.bindMailSender got "${address}"; pass a bare e-mail address`);
    },
  );

  it('sets PAYGUARD_CONTACTS and APPROVAL_BASE_URL once each', () => {
    // Prepare
    const { stack, fn } = prepare();

    // Act
    fn.setContacts('{"approvers":[]}');
    fn.setApprovalBaseUrl('https://approve.example');

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          PAYGUARD_CONTACTS: '{"approvers":[]}',
          APPROVAL_BASE_URL: 'https://approve.example',
        }),
      },
    });
    expect(() => fn.setContacts('{}')).toThrow('Test/Fn already has PAYGUARD_CONTACTS bound');
    expect(() => fn.setApprovalBaseUrl('https://other.example')).toThrow(
      'Test/Fn already has APPROVAL_BASE_URL bound',
    );
  });

  it('refuses a key pattern that is not under a top-level folder, saying what was passed', () => {
    // Prepare
    const { fn, bucket } = prepare();
    const wholeBucket = { description: '{key}', pattern: '*', folderPattern: undefined };

    // Act
    const bind = () => fn.bindBucket(bucket, { read: [wholeBucket] });

    // Assess
    expect(bind).toThrow(
      'Test/Fn.bindBucket got the key pattern "*"; a grant must start with a top-level folder such as "reports/"',
    );
  });

  it('refuses to list a family that is not listed by a folder', () => {
    // Prepare
    const { fn, bucket } = prepare();

    // Act
    const bind = () => fn.bindBucket(bucket, { list: [townsFile] });

    // Assess
    expect(bind).toThrow('reference/towns.csv is not listed by a folder');
  });

  it('refuses a bucket binding without key families', () => {
    // Prepare
    const { fn, bucket } = prepare();

    // Act
    const bind = () => fn.bindBucket(bucket, {});

    // Assess
    expect(bind).toThrow(/got no key families/);
  });

  it('refuses to bind the same variable twice', () => {
    // Prepare
    const { fn, table } = prepare();
    fn.bindStateTable(table, 'read');

    // Act
    const bind = () => fn.bindStateTable(table, 'readWrite');

    // Assess
    expect(bind).toThrow('Test/Fn already has STATE_TABLE_NAME bound');
  });

  it('adds no KMS statement for a bucket without a customer-managed key', () => {
    // Prepare
    const { stack, fn, bucket } = prepare();

    // Act
    fn.bindBucket(bucket, { write: [releaseFile] });

    // Assess
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[] }[],
    );
    expect(statements.flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('kms:'))).toEqual([]);
    expect(statements.flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('s3:'))).toEqual([
      's3:PutObject',
    ]);
  });
  it('grants object reads and writes on the key patterns of the families only', () => {
    // Prepare
    const { stack, fn, bucket } = prepare();

    // Act
    fn.bindBucket(bucket, { read: [pipelineConfig, monthSummary], write: [releaseFile] });

    // Assess
    const grants = grantsOf(
      Template.fromStack(stack),
      logicalIdOf(fn.executionRole),
      new Map([[logicalIdOf(bucket), 'Bucket']]),
    );
    expect(grants).toMatchObject({
      'Bucket/config/pipeline.json': ['s3:GetObject'],
      'Bucket/reports/????-??/summary.json': ['s3:GetObject'],
      'Bucket/reports/????-??/release.csv': ['s3:PutObject'],
    });
    expect(Object.keys(grants).filter((resource) => resource.startsWith('Bucket/'))).toHaveLength(3);
  });

  it('lets a reader list only the folders it lists and the keys it reads (404 for an absent key)', () => {
    // Prepare
    const { stack, fn, bucket } = prepare();

    // Act
    fn.bindBucket(bucket, {
      read: [pipelineConfig, registryFile, partnerFile.where({ dataset: 'deaths' })],
      list: [registryFile, partnerFile.where({ dataset: 'deaths' })],
      write: [stagedRoster],
    });

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: 's3:ListBucket',
            Resource: { 'Fn::GetAtt': [logicalIdOf(bucket), 'Arn'] },
            Condition: {
              StringLike: {
                's3:prefix': [
                  'reference/',
                  'partners/deaths/',
                  'config/pipeline.json',
                  'reference/registry.csv',
                  'partners/deaths/*',
                ],
              },
            },
          },
        ]),
      },
    });
  });

  it('gives a writer that reads nothing no s3:ListBucket', () => {
    // Prepare
    const { stack, fn, bucket } = prepare();

    // Act
    fn.bindBucket(bucket, { write: [releaseFile] });

    // Assess
    const actions = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((s) =>
        [s.Action].flat(),
      ),
    );
    expect(actions).not.toContain('s3:ListBucket');
  });

  it('sets PARTITION_ROWS once', () => {
    // Prepare
    const { stack, fn } = prepare();

    // Act
    fn.setPartitionRows(1000);

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ PARTITION_ROWS: '1000' }) },
    });
    expect(() => fn.setPartitionRows(2000)).toThrow('Test/Fn already has PARTITION_ROWS bound');
  });

  it.each([0, -1, 2.5])('refuses %d partition rows', (rows) => {
    // Prepare
    const { fn } = prepare();

    // Act
    const set = () => fn.setPartitionRows(rows);

    // Assess
    expect(set).toThrow(`Test/Fn.setPartitionRows got ${rows}; pass a positive whole number of rows`);
  });
});
