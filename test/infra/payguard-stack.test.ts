import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { INGEST_WORKFLOW, MONTH_REPORT_WORKFLOW, readDefinition, WORKFLOWS } from '#pipelines/workflows.ts';
import { AUDIT_TABLE_KEYS, ENV, STATE_TABLE_KEYS } from '#schemas/tables.ts';
import { pascalCase } from '../../infra/names.ts';
import { grantsOf, roleStatements } from './iam-grants.ts';
import { functionOf, logicalIdOf, synthPayguard, workflowOf } from './synth-payguard.ts';

const XRAY = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const LOGS = ['logs:CreateLogStream', 'logs:PutLogEvents'];

/** Grants of a function's role, resources labelled by what they are. */
function grantsOfFunction(module: string): Record<string, string[]> {
  const { stack, template } = synthPayguard();
  const fn = functionOf(module);
  const names = new Map<string, string>([
    [logicalIdOf(stack.data.bucket), 'DataBucket'],
    [logicalIdOf(stack.stateTable), 'StateTable'],
    [logicalIdOf(stack.auditTable), 'AuditTable'],
    [logicalIdOf(fn.logGroup), 'Logs'],
    [logicalIdOf(stack.data.key), 'DataKey'],
  ]);
  return grantsOf(template, logicalIdOf(fn.executionRole), names);
}

describe('PayguardStack', () => {
  describe('data bucket', () => {
    it('is versioned, KMS-encrypted, private, access-logged and sends events to EventBridge', () => {
      // Prepare
      const { stack, template } = synthPayguard();

      // Act
      const bucket = template.findResources('AWS::S3::Bucket')[logicalIdOf(stack.data.bucket)];

      // Assess
      expect(bucket).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          VersioningConfiguration: { Status: 'Enabled' },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              {
                BucketKeyEnabled: true,
                ServerSideEncryptionByDefault: {
                  SSEAlgorithm: 'aws:kms',
                  KMSMasterKeyID: { 'Fn::GetAtt': [logicalIdOf(stack.data.key), 'Arn'] },
                },
              },
            ],
          },
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
          LoggingConfiguration: { DestinationBucketName: { Ref: logicalIdOf(stack.data.accessLogs) } },
        },
      });
    });

    it('denies every request that is not over TLS', () => {
      // Prepare
      const { stack, template } = synthPayguard();
      const bucketId = logicalIdOf(stack.data.bucket);

      // Act
      const policies = template.findResources('AWS::S3::BucketPolicy', {
        Properties: {
          Bucket: { Ref: bucketId },
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Effect: 'Deny',
                Action: 's3:*',
                Principal: { AWS: '*' },
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              }),
            ]),
          },
        },
      });

      // Assess
      expect(Object.keys(policies)).toHaveLength(1);
    });

    it('encrypts with a rotating key that is kept when the stack goes', () => {
      // Prepare
      const { template } = synthPayguard();

      // Act
      const keys = Object.values(template.findResources('AWS::KMS::Key'));

      // Assess
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatchObject({ DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
    });

    it('has no notification custom resource (EventBridge is enabled natively)', () => {
      // Prepare
      const { template } = synthPayguard();

      // Act
      const custom = template.findResources('Custom::S3BucketNotifications');

      // Assess
      expect(custom).toEqual({});
    });

    it('keeps its access logs in a private, TLS-only, retained bucket', () => {
      // Prepare
      const { stack, template } = synthPayguard();

      // Act
      const logs = template.findResources('AWS::S3::Bucket')[logicalIdOf(stack.data.accessLogs)];

      // Assess
      expect(logs).toMatchObject({
        DeletionPolicy: 'Retain',
        Properties: {
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
            ],
          },
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
        },
      });
    });
  });

  describe('tables', () => {
    it.each([
      ['state', STATE_TABLE_KEYS],
      ['audit', AUDIT_TABLE_KEYS],
    ] as const)(
      '%s table: string keys from schemas/tables.ts, on demand, PITR, encrypted, retained',
      (name, keys) => {
        // Prepare
        const { stack, template } = synthPayguard();
        const table = name === 'state' ? stack.stateTable : stack.auditTable;

        // Act
        const resource = template.findResources('AWS::DynamoDB::Table')[logicalIdOf(table)];

        // Assess
        expect(resource).toMatchObject({
          DeletionPolicy: 'Retain',
          Properties: {
            KeySchema: [
              { AttributeName: keys.partitionKey, KeyType: 'HASH' },
              { AttributeName: keys.sortKey, KeyType: 'RANGE' },
            ],
            AttributeDefinitions: [
              { AttributeName: keys.partitionKey, AttributeType: 'S' },
              { AttributeName: keys.sortKey, AttributeType: 'S' },
            ],
            BillingMode: 'PAY_PER_REQUEST',
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            SSESpecification: { SSEEnabled: true },
            DeletionProtectionEnabled: true,
          },
        });
      },
    );
  });

  describe('functions', () => {
    it('has one function per task module of the workflows', () => {
      // Prepare
      const modules = new Set(WORKFLOWS.flatMap((w) => w.tasks.map((t) => t.functionModule)));

      // Act
      const { stack, template } = synthPayguard();

      // Assess
      expect([...stack.functions.keys()].sort()).toEqual([...modules].sort());
      template.resourceCountIs('AWS::Lambda::Function', modules.size);
    });

    it('runs every function on nodejs24.x, arm64, traced, logging to its own log group', () => {
      // Prepare
      const { template } = synthPayguard();

      // Act
      const functions = Object.values(template.findResources('AWS::Lambda::Function'));

      // Assess
      expect(functions.length).toBeGreaterThan(0);
      for (const fn of functions) {
        expect(fn).toMatchObject({
          Properties: {
            Runtime: 'nodejs24.x',
            Architectures: ['arm64'],
            TracingConfig: { Mode: 'Active' },
            LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
            Environment: {
              Variables: {
                POWERTOOLS_SERVICE_NAME: 'payguard',
                POWERTOOLS_LOG_LEVEL: 'INFO',
                NODE_OPTIONS: '--enable-source-maps',
              },
            },
          },
        });
      }
    });

    it('gives every function log group a retention', () => {
      // Prepare
      const { stack, template } = synthPayguard();

      // Act
      const groups = template.findResources('AWS::Logs::LogGroup');

      // Assess
      for (const fn of stack.functions.values()) {
        expect(groups[logicalIdOf(fn.logGroup)]).toMatchObject({ Properties: { RetentionInDays: 90 } });
      }
    });

    it('gives no function role a managed policy', () => {
      // Prepare
      const { stack, template } = synthPayguard();

      // Act
      const roles = template.findResources('AWS::IAM::Role');

      // Assess
      for (const fn of stack.functions.values()) {
        expect(roles[logicalIdOf(fn.executionRole)]?.Properties.ManagedPolicyArns).toBeUndefined();
      }
    });

    it('sets the table and bucket variables only where the function has the grant', () => {
      // Prepare
      const { stack, template } = synthPayguard();
      const functions = template.findResources('AWS::Lambda::Function');
      const variablesOf = (module: string) =>
        Object.keys(functions[logicalIdOf(functionOf(module))]?.Properties.Environment.Variables ?? {});

      // Act
      const byModule = Object.fromEntries(
        [...stack.functions.keys()].map((m) => [
          m,
          variablesOf(m).filter((v) => Object.values(ENV).includes(v as never)),
        ]),
      );

      // Assess
      expect(byModule).toEqual({
        'register-upload': [ENV.stateTable, ENV.auditTable],
        'validate-roster': [ENV.bucket],
        'record-outcome': [ENV.stateTable, ENV.auditTable],
        'record-failure': [ENV.stateTable, ENV.auditTable],
        'write-month-report': [ENV.stateTable, ENV.auditTable, ENV.bucket],
      });
    });

    it('ends each function before the Task state calling it times out', () => {
      // Prepare
      const { template } = synthPayguard();
      const functions = template.findResources('AWS::Lambda::Function');

      // Act
      const pairs = WORKFLOWS.flatMap((workflow) => {
        const asl = JSON.parse(readDefinition(workflow)) as {
          States: Record<string, { TimeoutSeconds?: number }>;
        };
        return workflow.tasks.map((task) => ({
          state: task.state,
          stateTimeout: asl.States[task.state]?.TimeoutSeconds,
          lambdaTimeout: functions[logicalIdOf(functionOf(task.functionModule))]?.Properties
            .Timeout as number,
        }));
      });

      // Assess
      for (const { state, stateTimeout, lambdaTimeout } of pairs) {
        expect(stateTimeout, `${state} has TimeoutSeconds`).toBeTypeOf('number');
        expect(lambdaTimeout, state).toBeLessThan(stateTimeout ?? 0);
      }
    });
  });

  describe('least privilege', () => {
    it.each(['register-upload', 'record-outcome', 'record-failure'])(
      '%s: state table Get/Put/Update, audit PutItem, nothing else',
      (module) => {
        // Prepare
        synthPayguard();

        // Act
        const grants = grantsOfFunction(module);

        // Assess
        expect(grants).toEqual({
          '*': XRAY,
          Logs: LOGS,
          StateTable: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
          AuditTable: ['dynamodb:PutItem'],
        });
      },
    );

    it('validate-roster: reads incoming/ and reference/, writes staged/ and reports/, no tables', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('validate-roster');

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        'DataBucket/incoming/*': ['s3:GetObject'],
        'DataBucket/reference/*': ['s3:GetObject'],
        DataBucket: ['s3:ListBucket'],
        DataKey: ['kms:Decrypt', 'kms:GenerateDataKey'],
        'DataBucket/staged/*': ['s3:PutObject'],
        'DataBucket/reports/*': ['s3:PutObject'],
      });
    });

    it('write-month-report: reads state, reads reports/ and staged/, writes reports/, appends audit', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('write-month-report');

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        StateTable: ['dynamodb:GetItem', 'dynamodb:Query'],
        AuditTable: ['dynamodb:PutItem'],
        'DataBucket/reports/*': ['s3:GetObject', 's3:PutObject'],
        'DataBucket/staged/*': ['s3:GetObject'],
        DataBucket: ['s3:ListBucket'],
        DataKey: ['kms:Decrypt', 'kms:GenerateDataKey'],
      });
    });

    it('uses the data key only through S3', () => {
      // Prepare
      const { stack, template } = synthPayguard();
      const keyArn = { 'Fn::GetAtt': [logicalIdOf(stack.data.key), 'Arn'] };

      // Act
      const keyStatements = [...stack.functions.values()]
        .flatMap((fn) => roleStatements(template, logicalIdOf(fn.executionRole)))
        .filter((s) => JSON.stringify(s.Resource) === JSON.stringify(keyArn));

      // Assess
      expect(keyStatements.length).toBeGreaterThan(0);
      for (const statement of keyStatements) {
        expect(statement.Condition).toEqual({
          StringEquals: {
            'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
          },
        });
      }
    });

    it('lets nobody do anything to the audit table but PutItem', () => {
      // Prepare
      const { stack, template } = synthPayguard();
      const auditArn = JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(stack.auditTable), 'Arn'] });
      const policies = Object.values(template.findResources('AWS::IAM::Policy'));

      // Act
      const actions = policies
        .flatMap(
          (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
        )
        .filter((s) => JSON.stringify(s.Resource).includes(auditArn))
        .flatMap((s) => [s.Action].flat());

      // Assess
      expect(new Set(actions)).toEqual(new Set(['dynamodb:PutItem']));
    });
  });

  describe('workflows', () => {
    it.each([INGEST_WORKFLOW, MONTH_REPORT_WORKFLOW])(
      '$name: Standard machine running the ASL file with each task ARN substituted',
      (workflow) => {
        // Prepare
        const { template } = synthPayguard();
        const machine = workflowOf(workflow.name);
        const substitutions = Object.fromEntries(
          workflow.tasks.map((t) => [
            t.arnSubstitution,
            { 'Fn::GetAtt': [logicalIdOf(functionOf(t.functionModule)), 'Arn'] },
          ]),
        );

        // Act
        const resource = template.findResources('AWS::StepFunctions::StateMachine')[logicalIdOf(machine)];

        // Assess
        expect(resource?.Properties).toMatchObject({
          StateMachineType: 'STANDARD',
          DefinitionSubstitutions: substitutions,
          TracingConfiguration: { Enabled: true },
          LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
        });
        template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
          DefinitionString: Match.serializedJson(JSON.parse(readDefinition(workflow))),
          DefinitionSubstitutions: substitutions,
        });
      },
    );

    it.each(WORKFLOWS.map((w) => [w.name, w] as const))(
      '%s: every placeholder in the ASL is substituted',
      (_, workflow) => {
        // Prepare
        const { template } = synthPayguard();
        const machine = workflowOf(workflow.name);
        const placeholders = [...readDefinition(workflow).matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]);

        // Act
        const resource = template.findResources('AWS::StepFunctions::StateMachine')[logicalIdOf(machine)];

        // Assess
        expect(Object.keys(resource?.Properties.DefinitionSubstitutions).sort()).toEqual(
          [...new Set(placeholders)].sort(),
        );
      },
    );

    it.each(WORKFLOWS.map((w) => [w.name, w] as const))(
      '%s: may invoke exactly its own functions',
      (_, workflow) => {
        // Prepare
        const { template } = synthPayguard();
        const machine = workflowOf(workflow.name);
        const expected = [...new Set(workflow.tasks.map((t) => t.functionModule))].map((m) => ({
          'Fn::GetAtt': [logicalIdOf(functionOf(m)), 'Arn'],
        }));

        // Act
        const invoke = roleStatements(template, logicalIdOf(machine.role)).filter((s) =>
          [s.Action].flat().some((a) => a.startsWith('lambda:')),
        );

        // Assess
        expect(invoke).toEqual([
          {
            Effect: 'Allow',
            Action: 'lambda:InvokeFunction',
            Resource: expected.length === 1 ? expected[0] : expected,
          },
        ]);
      },
    );
  });

  describe('ingest trigger', () => {
    it('starts the ingest machine for objects created under incoming/ of the data bucket', () => {
      // Prepare
      const { stack, template } = synthPayguard();
      const ingest = workflowOf('ingest');

      // Act
      const rule = template.findResources('AWS::Events::Rule')[logicalIdOf(stack.ingestTrigger.rule)];

      // Assess
      expect(rule?.Properties.EventPattern).toEqual({
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: {
          bucket: { name: [{ Ref: logicalIdOf(stack.data.bucket) }] },
          object: { key: [{ prefix: 'incoming/' }] },
        },
      });
      expect(rule?.Properties.Targets).toEqual([
        {
          Id: expect.any(String),
          Arn: { Ref: logicalIdOf(ingest) },
          RoleArn: expect.anything(),
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [logicalIdOf(stack.ingestTrigger.deadLetterQueue), 'Arn'] },
          },
          RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
        },
      ]);
    });

    it('parks failed starts in an encrypted, TLS-only queue with an alarm on it', () => {
      // Prepare
      const { stack, template } = synthPayguard();
      const queueId = logicalIdOf(stack.ingestTrigger.deadLetterQueue);

      // Act
      const queue = template.findResources('AWS::SQS::Queue')[queueId];

      // Assess
      expect(queue?.Properties).toMatchObject({ SqsManagedSseEnabled: true });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      });
    });
  });

  describe('outputs', () => {
    it('exports the bucket, the tables and every state machine', () => {
      // Prepare
      const { template } = synthPayguard();

      // Act
      const outputs = Object.keys(template.findOutputs('*')).sort();

      // Assess
      expect(outputs).toEqual(
        [
          'AuditTableName',
          'DataBucketName',
          'StateTableName',
          ...WORKFLOWS.map((w) => `${pascalCase(w.name)}StateMachineArn`),
        ].sort(),
      );
    });
  });
});
