import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DATASET_TRIGGER, INGEST_TRIGGER } from '#pipelines/triggers.ts';
import {
  DATASET_INGEST_WORKFLOW,
  INGEST_WORKFLOW,
  MONTH_RUN_WORKFLOW,
  readDefinition,
  WORKFLOWS,
  type WorkflowDefinition,
} from '#pipelines/workflows.ts';
import { AUDIT_TABLE_KEYS, ENV, STATE_TABLE_KEYS } from '#schemas/tables.ts';
import type { WorkflowTrigger } from '../../infra/constructs/workflow-trigger.ts';
import { pascalCase } from '../../infra/names.ts';
import { DEFAULT_PARTITION_ROWS, PARTITION_ROWS_CONTEXT_KEY } from '../../infra/partition-rows.ts';
import { composeApp } from '../../infra/payguard-app.ts';
import { grantsOf, roleStatements } from './iam-grants.ts';
import { functionOf, logicalIdOf, newTestApp, synthPayguard, workflowOf } from './synth-payguard.ts';

const XRAY = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const LOGS = ['logs:CreateLogStream', 'logs:PutLogEvents'];

const READ_WRITE_STATE = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
const READ_STATE = ['dynamodb:GetItem', 'dynamodb:Query'];
const AUDIT = ['dynamodb:PutItem'];

interface AslState {
  readonly Type: string;
  readonly TimeoutSeconds?: number;
  readonly ItemProcessor?: { readonly ProcessorConfig?: unknown; readonly States: Record<string, AslState> };
  readonly [field: string]: unknown;
}

/** Every state of an ASL document by name, including those inside Map item processors. */
function statesOf(states: Record<string, AslState>): Map<string, AslState> {
  const all = new Map<string, AslState>();
  for (const [name, state] of Object.entries(states)) {
    all.set(name, state);
    for (const [inner, innerState] of statesOf(state.ItemProcessor?.States ?? {})) all.set(inner, innerState);
  }
  return all;
}

/** How the ASL writes a `definitionSubstitutions` placeholder: `${name}`. */
const placeholder = (name: string) => `\${${name}}`;

const aslOf = (workflow: WorkflowDefinition) =>
  JSON.parse(readDefinition(workflow)) as { States: Record<string, AslState> };

/** The `definitionSubstitutions` a workflow's state machine must carry, as template references. */
function substitutionsOf(workflow: WorkflowDefinition): Record<string, unknown> {
  return Object.fromEntries([
    ...workflow.tasks.map((t) => [
      t.arnSubstitution,
      { 'Fn::GetAtt': [logicalIdOf(functionOf(t.functionModule)), 'Arn'] },
    ]),
    ...(workflow.starts ?? []).map((s) => [s.arnSubstitution, { Ref: logicalIdOf(workflowOf(s.workflow)) }]),
  ]);
}

/** The `s3:prefix` values a function's `s3:ListBucket` statements are limited to. */
function listPrefixesOf(module: string): unknown[] {
  const { stack, template } = synthPayguard();
  const bucketArn = JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(stack.data.bucket), 'Arn'] });
  return roleStatements(template, logicalIdOf(functionOf(module).executionRole))
    .filter((s) => [s.Action].flat().includes('s3:ListBucket'))
    .map((s) => {
      expect(JSON.stringify(s.Resource)).toBe(bucketArn);
      return (s.Condition as { StringLike: { 's3:prefix': unknown } }).StringLike['s3:prefix'];
    });
}

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

    it('sets the table, bucket and partition variables only where the function uses them', () => {
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
        'check-month-complete': [ENV.stateTable, ENV.bucket],
        'prepare-month-run': [ENV.stateTable, ENV.auditTable, ENV.bucket, ENV.partitionRows],
        'check-partition': [ENV.bucket],
        'write-month-report': [ENV.auditTable, ENV.bucket],
        'record-month-failure': [ENV.auditTable],
        'stage-dataset': [ENV.auditTable, ENV.bucket],
        'record-dataset-failure': [ENV.auditTable],
      });
    });

    it(`splits the month into partitions of ${DEFAULT_PARTITION_ROWS} rows by default`, () => {
      // Prepare
      const { template } = synthPayguard();

      // Act
      const fn =
        template.findResources('AWS::Lambda::Function')[logicalIdOf(functionOf('prepare-month-run'))];

      // Assess
      expect(fn?.Properties.Environment.Variables[ENV.partitionRows]).toBe(String(DEFAULT_PARTITION_ROWS));
    });

    it('takes the partition size from the payguard:partitionRows context', () => {
      // Prepare
      const stack = composeApp(newTestApp({ [PARTITION_ROWS_CONTEXT_KEY]: '1000' }));
      const fn = stack.functions.get('prepare-month-run');

      // Act
      const resource =
        fn && Template.fromStack(stack).findResources('AWS::Lambda::Function')[logicalIdOf(fn)];

      // Assess
      expect(resource?.Properties.Environment.Variables[ENV.partitionRows]).toBe('1000');
    });

    it.each(['prepare-month-run', 'check-partition', 'stage-dataset'])(
      '%s: 3008 MB for a whole partition or dataset in memory',
      (module) => {
        // Prepare
        const { template } = synthPayguard();

        // Act
        const fn = template.findResources('AWS::Lambda::Function')[logicalIdOf(functionOf(module))];

        // Assess
        expect(fn?.Properties.MemorySize).toBe(3008);
      },
    );

    it('ends each function before the Task state calling it times out, Map item processors included', () => {
      // Prepare
      const { template } = synthPayguard();
      const functions = template.findResources('AWS::Lambda::Function');

      // Act
      const pairs = WORKFLOWS.flatMap((workflow) => {
        const states = statesOf(aslOf(workflow).States);
        return workflow.tasks.map((task) => ({
          state: `${workflow.name}/${task.state}`,
          stateTimeout: states.get(task.state)?.TimeoutSeconds,
          lambdaTimeout: functions[logicalIdOf(functionOf(task.functionModule))]?.Properties
            .Timeout as number,
        }));
      });

      // Assess
      expect(pairs.map((p) => p.state)).toContain('month-run/CheckPartition');
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
        expect(grants).toEqual({ '*': XRAY, Logs: LOGS, StateTable: READ_WRITE_STATE, AuditTable: AUDIT });
      },
    );

    it.each(['record-month-failure', 'record-dataset-failure'])(
      '%s: audit PutItem, nothing else',
      (module) => {
        // Prepare
        synthPayguard();

        // Act
        const grants = grantsOfFunction(module);

        // Assess
        expect(grants).toEqual({ '*': XRAY, Logs: LOGS, AuditTable: AUDIT });
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

    it('check-month-complete: reads state, reads config/ and reference/, writes nothing', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('check-month-complete');

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        StateTable: READ_STATE,
        'DataBucket/config/*': ['s3:GetObject'],
        'DataBucket/reference/*': ['s3:GetObject'],
        DataBucket: ['s3:ListBucket'],
        DataKey: ['kms:Decrypt'],
      });
    });

    it('prepare-month-run: reads state, reads the datasets, staged/ and reports/, writes staged/ and reports/, appends audit', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('prepare-month-run');

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        StateTable: READ_STATE,
        AuditTable: AUDIT,
        'DataBucket/config/*': ['s3:GetObject'],
        'DataBucket/reference/*': ['s3:GetObject'],
        'DataBucket/registers/*': ['s3:GetObject'],
        'DataBucket/partners/*': ['s3:GetObject'],
        'DataBucket/staged/*': ['s3:GetObject', 's3:PutObject'],
        'DataBucket/reports/*': ['s3:GetObject', 's3:PutObject'],
        DataBucket: ['s3:ListBucket'],
        DataKey: ['kms:Decrypt', 'kms:GenerateDataKey'],
      });
    });

    it('check-partition: reads staged/ and reports/, writes reports/, no tables', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('check-partition');

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        'DataBucket/staged/*': ['s3:GetObject'],
        'DataBucket/reports/*': ['s3:GetObject', 's3:PutObject'],
        DataBucket: ['s3:ListBucket'],
        DataKey: ['kms:Decrypt', 'kms:GenerateDataKey'],
      });
    });

    it('write-month-report: reads and writes reports/, appends audit, no state table', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('write-month-report');

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        AuditTable: AUDIT,
        'DataBucket/reports/*': ['s3:GetObject', 's3:PutObject'],
        DataBucket: ['s3:ListBucket'],
        DataKey: ['kms:Decrypt', 'kms:GenerateDataKey'],
      });
    });

    it('stage-dataset: reads the datasets and staged/, writes staged/, appends audit, no state table', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('stage-dataset');

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        AuditTable: AUDIT,
        'DataBucket/reference/*': ['s3:GetObject'],
        'DataBucket/registers/*': ['s3:GetObject'],
        'DataBucket/partners/*': ['s3:GetObject'],
        'DataBucket/staged/*': ['s3:GetObject', 's3:PutObject'],
        DataBucket: ['s3:ListBucket'],
        DataKey: ['kms:Decrypt', 'kms:GenerateDataKey'],
      });
    });

    it.each([
      ['validate-roster', ['incoming/*', 'reference/*']],
      ['check-month-complete', ['config/*', 'reference/*']],
      [
        'prepare-month-run',
        ['config/*', 'reference/*', 'registers/*', 'partners/*', 'staged/*', 'reports/*'],
      ],
      ['check-partition', ['staged/*', 'reports/*']],
      ['write-month-report', ['reports/*']],
      ['stage-dataset', ['reference/*', 'registers/*', 'partners/*', 'staged/*']],
    ])('%s: may list only the folders it reads', (module, prefixes) => {
      // Prepare
      synthPayguard();

      // Act
      const listed = listPrefixesOf(module);

      // Assess
      expect(listed).toEqual([prefixes]);
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
    it('creates a state machine per workflow, month-run before ingest, which starts it', () => {
      // Prepare
      const { stack } = synthPayguard();

      // Act
      const names = [...stack.workflows.keys()];

      // Assess
      expect(names).toEqual(['month-run', 'ingest', 'dataset-ingest']);
      expect(names).toEqual(WORKFLOWS.map((w) => w.name));
    });

    it('keeps the logical ID of the ingest state machine', () => {
      // Prepare
      synthPayguard();

      // Act
      const id = logicalIdOf(workflowOf('ingest'));

      // Assess
      expect(id).toMatch(/^IngestWorkflow[0-9A-F]{8}$/);
    });

    it.each(WORKFLOWS.map((w) => [w.name, w] as const))(
      '%s: Standard machine running the ASL file with each task and started machine ARN substituted',
      (_, workflow) => {
        // Prepare
        const { template } = synthPayguard();
        const machine = workflowOf(workflow.name);
        const substitutions = substitutionsOf(workflow);

        // Act
        const resource = template.findResources('AWS::StepFunctions::StateMachine')[logicalIdOf(machine)];

        // Assess
        expect(resource?.Properties).toMatchObject({
          StateMachineType: 'STANDARD',
          DefinitionSubstitutions: substitutions,
          TracingConfiguration: { Enabled: true },
          LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
        });
        expect(resource?.Properties.DefinitionSubstitutions).toEqual(substitutions);
        // Parsed rather than Match.serializedJson, which throws on the `"ResultPath": null` of ingest.
        expect(JSON.parse(resource?.Properties.DefinitionString as string)).toEqual(aslOf(workflow));
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

    it('month-run: checks the partitions in an inline Map whose item processor calls CheckPartition', () => {
      // Prepare
      const { template } = synthPayguard();
      const resource = template.findResources('AWS::StepFunctions::StateMachine')[
        logicalIdOf(workflowOf(MONTH_RUN_WORKFLOW.name))
      ];

      // Act
      const deployed = JSON.parse(resource?.Properties.DefinitionString as string) as {
        States: Record<string, AslState>;
      };

      // Assess
      expect(deployed.States.CheckPartitions).toMatchObject({
        Type: 'Map',
        ItemsPath: '$.partitions',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'CheckPartition',
          States: {
            CheckPartition: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { FunctionName: placeholder('CheckPartitionFunctionArn') },
            },
          },
        },
        Next: 'WriteMonthReport',
      });
      expect(resource?.Properties.DefinitionSubstitutions.CheckPartitionFunctionArn).toEqual({
        'Fn::GetAtt': [logicalIdOf(functionOf('check-partition')), 'Arn'],
      });
    });

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

    it('ingest: may start executions of the month-run state machine and of nothing else', () => {
      // Prepare
      const { template } = synthPayguard();
      const ingest = workflowOf(INGEST_WORKFLOW.name);

      // Act
      const statesStatements = roleStatements(template, logicalIdOf(ingest.role)).filter((s) =>
        [s.Action].flat().some((a) => a.startsWith('states:')),
      );

      // Assess
      expect(statesStatements).toEqual([
        {
          Effect: 'Allow',
          Action: 'states:StartExecution',
          Resource: { Ref: logicalIdOf(workflowOf(MONTH_RUN_WORKFLOW.name)) },
        },
      ]);
    });

    it('ingest: starts the month run from its StartMonthRun state', () => {
      // Prepare
      const asl = aslOf(INGEST_WORKFLOW);

      // Act
      const start = asl.States.StartMonthRun;

      // Assess
      expect(INGEST_WORKFLOW.starts).toEqual([
        {
          state: 'StartMonthRun',
          workflow: MONTH_RUN_WORKFLOW.name,
          arnSubstitution: 'MonthRunStateMachineArn',
        },
      ]);
      expect(start).toMatchObject({
        Type: 'Task',
        Resource: 'arn:aws:states:::states:startExecution',
        Parameters: { StateMachineArn: placeholder('MonthRunStateMachineArn') },
      });
    });

    it.each([MONTH_RUN_WORKFLOW, DATASET_INGEST_WORKFLOW].map((w) => [w.name, w] as const))(
      '%s: may start no state machine',
      (_, workflow) => {
        // Prepare
        const { template } = synthPayguard();
        const machine = workflowOf(workflow.name);

        // Act
        const actions = roleStatements(template, logicalIdOf(machine.role)).flatMap((s) => [s.Action].flat());

        // Assess
        expect(actions.filter((a) => a.startsWith('states:'))).toEqual([]);
      },
    );

    it('lets no state machine start any state machine but month-run, and nobody start one by wildcard', () => {
      // Prepare
      const { stack, template } = synthPayguard();
      const monthRun = { Ref: logicalIdOf(workflowOf(MONTH_RUN_WORKFLOW.name)) };
      const policies = Object.values(template.findResources('AWS::IAM::Policy'));
      const statesStatementsOf = (
        statements: readonly { Action: string | readonly string[]; Resource: unknown }[],
      ) => statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('states:') || a === '*'));

      // Act
      const byMachines = [...stack.workflows.values()].flatMap((machine) =>
        statesStatementsOf(roleStatements(template, logicalIdOf(machine.role))),
      );
      const anywhere = statesStatementsOf(
        policies.flatMap(
          (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
        ),
      );

      // Assess
      expect(byMachines.map((s) => s.Resource)).toEqual([monthRun]);
      for (const statement of anywhere) expect(JSON.stringify(statement.Resource)).not.toContain('*');
    });
  });

  describe.each([
    {
      name: 'ingest',
      trigger: (stack: ReturnType<typeof synthPayguard>['stack']) => stack.ingestTrigger,
      idPrefix: 'IngestTrigger',
      prefixes: [INGEST_TRIGGER.keyPrefix],
      expectedKeys: [{ prefix: 'incoming/' }],
    },
    {
      name: 'dataset-ingest',
      trigger: (stack: ReturnType<typeof synthPayguard>['stack']) => stack.datasetTrigger,
      idPrefix: 'DatasetIngestTrigger',
      prefixes: DATASET_TRIGGER.keyPrefixes,
      expectedKeys: [{ prefix: 'reference/' }, { prefix: 'registers/' }, { prefix: 'partners/' }],
    },
  ])('$name trigger', ({ name, trigger: triggerOf, idPrefix, prefixes, expectedKeys }) => {
    const trigger = (): WorkflowTrigger => triggerOf(synthPayguard().stack);

    it(`starts the ${name} machine for objects created under ${prefixes.join(', ')} of the data bucket`, () => {
      // Prepare
      const { stack, template } = synthPayguard();
      const machine = workflowOf(name);

      // Act
      const rule = template.findResources('AWS::Events::Rule')[logicalIdOf(trigger().rule)];

      // Assess
      expect(rule?.Properties.EventPattern).toEqual({
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: {
          bucket: { name: [{ Ref: logicalIdOf(stack.data.bucket) }] },
          object: { key: expectedKeys },
        },
      });
      expect(rule?.Properties.Targets).toEqual([
        {
          Id: expect.any(String),
          Arn: { Ref: logicalIdOf(machine) },
          RoleArn: expect.anything(),
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [logicalIdOf(trigger().deadLetterQueue), 'Arn'] },
          },
          RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
        },
      ]);
    });

    it('lets EventBridge start only its own state machine', () => {
      // Prepare
      const { template } = synthPayguard();
      const rule = template.findResources('AWS::Events::Rule')[logicalIdOf(trigger().rule)];
      const roleArn = rule?.Properties.Targets[0].RoleArn as { 'Fn::GetAtt': [string, string] } | undefined;
      const roleId = roleArn?.['Fn::GetAtt'][0] ?? 'no target role';

      // Act
      const statements = roleStatements(template, roleId);

      // Assess
      expect(statements).toEqual([
        {
          Effect: 'Allow',
          Action: 'states:StartExecution',
          Resource: { Ref: logicalIdOf(workflowOf(name)) },
        },
      ]);
    });

    it('parks failed starts in an encrypted, TLS-only queue with an alarm on it', () => {
      // Prepare
      const { template } = synthPayguard();
      const queueId = logicalIdOf(trigger().deadLetterQueue);

      // Act
      const queue = template.findResources('AWS::SQS::Queue')[queueId];

      // Assess
      expect(queue?.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 1209600,
      });
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

    it(`keeps its resources under the ${idPrefix} construct`, () => {
      // Prepare
      const current = trigger();

      // Act
      const ids = [current.rule, current.deadLetterQueue, current.deadLetterAlarm].map(logicalIdOf);

      // Assess
      expect(ids).toEqual([
        expect.stringMatching(new RegExp(`^${idPrefix}Rule[0-9A-F]{8}$`)),
        expect.stringMatching(new RegExp(`^${idPrefix}DeadLetterQueue[0-9A-F]{8}$`)),
        expect.stringMatching(new RegExp(`^${idPrefix}DeadLetterAlarm[0-9A-F]{8}$`)),
      ]);
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
          'MonthRunStateMachineArn',
          'IngestStateMachineArn',
          'DatasetIngestStateMachineArn',
        ].sort(),
      );
      expect(outputs).toEqual(
        expect.arrayContaining(WORKFLOWS.map((w) => `${pascalCase(w.name)}StateMachineArn`)),
      );
    });

    it.each(WORKFLOWS.map((w) => w.name))('%s: outputs the ARN of its state machine', (name) => {
      // Prepare
      const { template } = synthPayguard();

      // Act
      const output = template.findOutputs(`${pascalCase(name)}StateMachineArn`);

      // Assess
      expect(Object.values(output)[0]?.Value).toEqual({ Ref: logicalIdOf(workflowOf(name)) });
    });
  });
});
