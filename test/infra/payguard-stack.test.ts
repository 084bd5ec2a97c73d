import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  APPROVAL_DESK_MODULE,
  BUCKET_ACCESS,
  bucketAccessOf,
  bucketGrantsOf,
  TOWN_DESK_MODULE,
  WORKFLOW_BUCKET_ACCESS,
} from '#pipelines/bucket-access.ts';
import { FUNCTION_ALLOCATOR_ENVIRONMENT } from '#pipelines/function-allocator.ts';
import {
  DELIVER_DECISIONS_MODULE,
  ISSUE_DESK_LINKS_MODULE,
  ROTATE_LINK_SECRET_MODULE,
  STANDALONE_MODULES,
} from '#pipelines/standalone-functions.ts';
import { BANK_RETURNS_TRIGGER, DATASET_TRIGGER, INGEST_TRIGGER } from '#pipelines/triggers.ts';
import {
  BANK_RETURNS_WORKFLOW,
  DATASET_INGEST_WORKFLOW,
  distributedMapsOf,
  INGEST_WORKFLOW,
  MONTH_RUN_WORKFLOW,
  MONTH_WATCH_WORKFLOW,
  readDefinition,
  resolveDefinition,
  stateDefinitionsOf,
  WORKFLOWS,
  type WorkflowDefinition,
} from '#pipelines/workflows.ts';
import { matchesPattern, rosterUpload } from '#schemas/bucket-layout.ts';
import { AUDIT_TABLE_KEYS, CASE_TABLE_KEYS, ENV, STATE_TABLE_KEYS } from '#schemas/tables.ts';
import type { WorkflowTrigger } from '../../infra/constructs/workflow-trigger.ts';
import { MONTH_WATCH_SCHEDULE_CONTEXT_KEY, TIME_ZONE_CONTEXT_KEY } from '../../infra/month-watch-schedule.ts';
import { pascalCase } from '../../infra/names.ts';
import { CONTACTS_CONTEXT_KEY, MAIL_FROM_CONTEXT_KEY } from '../../infra/notifications.ts';
import { DEFAULT_PARTITION_ROWS, PARTITION_ROWS_CONTEXT_KEY } from '../../infra/partition-rows.ts';
import { composeApp } from '../../infra/payguard-app.ts';
import { grantsOf, roleStatements } from './iam-grants.ts';
import {
  CDK_JSON_CONTEXT,
  functionOf,
  logicalIdOf,
  newTestApp,
  synthPayguard,
  workflowOf,
} from './synth-payguard.ts';

const XRAY = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const LOGS = ['logs:CreateLogStream', 'logs:PutLogEvents'];

const READ_WRITE_STATE = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
const READ_STATE = ['dynamodb:GetItem', 'dynamodb:Query'];
const GET_STATE = ['dynamodb:GetItem'];
const AUDIT = ['dynamodb:PutItem', 'dynamodb:Query'];
/** Opening and saving cases: conditional puts, batch puts of new cases, reads; never Update or Delete. */
const WRITE_CASES = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
];
const READ_CASES = ['dynamodb:GetItem', 'dynamodb:Query'];
const SEND_MAIL = ['ses:SendEmail'];

/** How `grantsOf` labels the ARN of the SES identity `name` in the stack's account and region. */
const sesIdentity = (name: string) =>
  `arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/${name}`;

/** The sender of the repository's cdk.json context, and the SES identities it may be verified as. */
const MAIL_FROM = 'payguard@mzj.example.gov.cn';
const SENDER_IDENTITIES = {
  [sesIdentity(MAIL_FROM)]: SEND_MAIL,
  [sesIdentity('mzj.example.gov.cn')]: SEND_MAIL,
};

interface AslState {
  readonly Type: string;
  readonly TimeoutSeconds?: number;
  readonly ItemProcessor?: { readonly ProcessorConfig?: unknown; readonly States: Record<string, AslState> };
  readonly [field: string]: unknown;
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
    [logicalIdOf(stack.caseTable), 'CaseTable'],
    [logicalIdOf(fn.logGroup), 'Logs'],
    [logicalIdOf(stack.data.key), 'DataKey'],
    [logicalIdOf(stack.linkSecret), 'LinkSecret'],
  ]);
  return grantsOf(template, logicalIdOf(fn.executionRole), names);
}

/** The data-bucket grants a function's declared access gives, labelled as `grantsOf` labels them. */
function declaredBucketGrants(module: string): Record<string, string[]> {
  const access = bucketAccessOf(module);
  if (access === undefined) return {};
  const { getObject, putObject, listPrefixes } = bucketGrantsOf(access);
  const grants: Record<string, Set<string>> = {};
  const grant = (pattern: string, action: string) => {
    const resource = `DataBucket/${pattern}`;
    grants[resource] = new Set([...(grants[resource] ?? []), action]);
  };
  for (const pattern of getObject) grant(pattern, 's3:GetObject');
  for (const pattern of putObject) grant(pattern, 's3:PutObject');
  if (listPrefixes.length > 0) grants.DataBucket = new Set(['s3:ListBucket']);
  const kms = [
    ...(getObject.length > 0 ? ['kms:Decrypt'] : []),
    ...(putObject.length > 0 ? ['kms:GenerateDataKey'] : []),
  ];
  if (kms.length > 0) grants.DataKey = new Set(kms);
  return Object.fromEntries(Object.entries(grants).map(([k, v]) => [k, [...v].sort()]));
}

/** The modules of every workflow task, plus those no workflow runs (the approval site's, the sweep). */
const ALL_MODULES = [
  ...new Set([...WORKFLOWS.flatMap((w) => w.tasks.map((t) => t.functionModule)), ...STANDALONE_MODULES]),
];

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
          // Streamed outputs that fail midway leave multipart parts: removed after a day.
          LifecycleConfiguration: {
            Rules: [
              {
                Id: 'AbortIncompleteUploads',
                Status: 'Enabled',
                AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
              },
            ],
          },
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

    it('encrypts with a rotating key of its own that is kept when the stack goes', () => {
      // Prepare
      const { stack, template } = synthPayguard();

      // Act
      const keys = template.findResources('AWS::KMS::Key');

      // Assess
      // The other key is the operations alerts topic's (test/infra/operations-alerts.test.ts).
      expect(Object.keys(keys).sort()).toEqual(
        [logicalIdOf(stack.data.key), logicalIdOf(stack.operationsAlerts.key)].sort(),
      );
      expect(keys[logicalIdOf(stack.data.key)]).toMatchObject({
        DeletionPolicy: 'Retain',
        Properties: { EnableKeyRotation: true },
      });
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
      ['case', CASE_TABLE_KEYS],
    ] as const)(
      '%s table: string keys from schemas/tables.ts, on demand, PITR, encrypted, retained',
      (name, keys) => {
        // Prepare
        const { stack, template } = synthPayguard();
        const table = { state: stack.stateTable, audit: stack.auditTable, case: stack.caseTable }[name];

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
    it('has one function per task module of the workflows, plus the approval desk and the decision sweep', () => {
      // Prepare
      const modules = new Set(ALL_MODULES);

      // Act
      const { stack, template } = synthPayguard();

      // Assess
      expect(modules.has(APPROVAL_DESK_MODULE)).toBe(true);
      expect(modules.has(DELIVER_DECISIONS_MODULE)).toBe(true);
      expect([...stack.functions.keys()].sort()).toEqual([...modules].sort());
      template.resourceCountIs('AWS::Lambda::Function', modules.size);
    });

    it('runs every function on nodejs24.x, arm64, traced, logging to its own log group, with the allocator settings', () => {
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
                GLIBC_TUNABLES: FUNCTION_ALLOCATOR_ENVIRONMENT.GLIBC_TUNABLES,
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

    it('sets the table, bucket, partition, mail, contacts and approval variables only where the function uses them', () => {
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
        'record-outcome': [ENV.stateTable, ENV.auditTable, ENV.bucket, ENV.mailFrom, ENV.contacts],
        'record-upload-failure': [ENV.stateTable, ENV.auditTable, ENV.mailFrom, ENV.contacts],
        'check-month-complete': [ENV.stateTable, ENV.bucket],
        'prepare-month-run': [ENV.stateTable, ENV.auditTable, ENV.bucket, ENV.partitionRows],
        'find-shared-accounts': [ENV.bucket],
        'merge-shared-accounts': [ENV.bucket],
        'check-partition': [ENV.bucket],
        'write-month-findings': [ENV.auditTable, ENV.bucket],
        'open-month-cases': [ENV.auditTable, ENV.caseTable, ENV.bucket],
        'prepare-release': [ENV.bucket],
        'request-approval': [
          ENV.stateTable,
          ENV.auditTable,
          ENV.mailFrom,
          ENV.contacts,
          ENV.linkSecretArn,
          ENV.approvalBaseUrl,
        ],
        'hold-month': [ENV.auditTable, ENV.bucket, ENV.mailFrom, ENV.contacts],
        'release-month': [ENV.stateTable, ENV.auditTable, ENV.bucket],
        'await-bank-returns': [ENV.stateTable, ENV.auditTable, ENV.bucket],
        'close-out-month': [ENV.auditTable, ENV.bucket],
        'record-month-failure': [ENV.auditTable, ENV.bucket],
        'stage-dataset-on-arrival': [ENV.auditTable, ENV.bucket],
        'record-dataset-failure': [ENV.auditTable],
        'resume-close-out': [ENV.stateTable, ENV.auditTable],
        'approval-desk': [ENV.stateTable, ENV.auditTable, ENV.bucket, ENV.linkSecretArn, ENV.approvalBaseUrl],
        'town-desk': [
          ENV.stateTable,
          ENV.auditTable,
          ENV.caseTable,
          ENV.bucket,
          ENV.linkSecretArn,
          ENV.approvalBaseUrl,
        ],
        'issue-desk-links': [
          ENV.stateTable,
          ENV.auditTable,
          ENV.mailFrom,
          ENV.contacts,
          ENV.linkSecretArn,
          ENV.approvalBaseUrl,
        ],
        'deliver-decisions': [ENV.stateTable, ENV.auditTable],
        'rotate-link-secret': [],
        'compute-month-metrics': [ENV.bucket],
        'detect-month-anomalies': [ENV.auditTable, ENV.bucket],
        'draw-month-sample': [ENV.auditTable, ENV.bucket],
        'open-visit-cases': [ENV.auditTable, ENV.caseTable, ENV.bucket],
        'write-month-page': [ENV.auditTable, ENV.caseTable, ENV.bucket],
        'notify-bureau': [ENV.caseTable, ENV.bucket, ENV.mailFrom, ENV.contacts],
        'write-case-outputs': [ENV.auditTable, ENV.caseTable, ENV.bucket],
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

    it.each([
      'prepare-month-run',
      'find-shared-accounts',
      'check-partition',
      'stage-dataset-on-arrival',
      'prepare-release',
      'release-month',
      'compute-month-metrics',
      'draw-month-sample',
      'close-out-month',
    ])('%s: 3008 MB for a whole partition, dataset or month in memory', (module) => {
      // Prepare
      const { template } = synthPayguard();

      // Act
      const fn = template.findResources('AWS::Lambda::Function')[logicalIdOf(functionOf(module))];

      // Assess
      expect(fn?.Properties.MemorySize).toBe(3008);
    });

    it.each(['write-month-page', APPROVAL_DESK_MODULE])(
      "%s: 2048 MB to total a month's release per town",
      (module) => {
        // Prepare
        const { template } = synthPayguard();

        // Act
        const fn = template.findResources('AWS::Lambda::Function')[logicalIdOf(functionOf(module))];

        // Assess
        expect(fn?.Properties.MemorySize).toBe(2048);
      },
    );

    it('gives the functions that stage datasets a 10 GiB /tmp to spill to, and no other function more than the default', () => {
      // Prepare
      const { template } = synthPayguard();
      const staging = ['stage-dataset-on-arrival', 'prepare-month-run', 'release-month'].map((m) =>
        logicalIdOf(functionOf(m)),
      );

      // Act
      const functions = Object.entries(template.findResources('AWS::Lambda::Function'));

      // Assess
      for (const [id, fn] of functions) {
        const size = fn.Properties.EphemeralStorage?.Size;
        if (staging.includes(id)) expect(size, id).toBe(10240);
        else expect(size, id).toBeUndefined();
      }
      expect(functions.filter(([id]) => staging.includes(id))).toHaveLength(3);
    });

    it('ends each function before the Task state calling it times out, Map item processors and Parallel branches included', () => {
      // Prepare
      const { template } = synthPayguard();
      const functions = template.findResources('AWS::Lambda::Function');

      // Act
      const pairs = WORKFLOWS.flatMap((workflow) => {
        const states = stateDefinitionsOf(workflow);
        return workflow.tasks.map((task) => ({
          state: `${workflow.name}/${task.state}`,
          stateTimeout: states.get(task.state)?.TimeoutSeconds as number | undefined,
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
    it('record-outcome: state table Get/Put/Update, audit PutItem, reads the readable reports, mails a rejection', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('record-outcome');

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        StateTable: READ_WRITE_STATE,
        AuditTable: AUDIT,
        ...declaredBucketGrants('record-outcome'),
        ...SENDER_IDENTITIES,
      });
    });

    it('town-desk: state Get/Put/Query/Update, audit, cases read and conditional puts, signs roster PUTs and reads reports and staged rosters, reads the link secret; no mail, no steps', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction(TOWN_DESK_MODULE);

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        StateTable: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
        AuditTable: AUDIT,
        CaseTable: WRITE_CASES,
        ...declaredBucketGrants(TOWN_DESK_MODULE),
        LinkSecret: ['secretsmanager:GetSecretValue'],
      });
      expect(bucketAccessOf(TOWN_DESK_MODULE)?.write).toEqual([rosterUpload]);
    });

    it('issue-desk-links: state Get/Put/Update, audit, mails, reads the link secret; no bucket', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction(ISSUE_DESK_LINKS_MODULE);

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        StateTable: READ_WRITE_STATE,
        AuditTable: AUDIT,
        LinkSecret: ['secretsmanager:GetSecretValue'],
        ...SENDER_IDENTITIES,
      });
    });

    it.each(['register-upload'])('%s: state table Get/Put/Update, audit PutItem, nothing else', (module) => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction(module);

      // Assess
      expect(grants).toEqual({ '*': XRAY, Logs: LOGS, StateTable: READ_WRITE_STATE, AuditTable: AUDIT });
    });

    it('record-upload-failure: state table Get/Put/Update, audit PutItem, mail as the sender, nothing else', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('record-upload-failure');

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        StateTable: READ_WRITE_STATE,
        AuditTable: AUDIT,
        ...SENDER_IDENTITIES,
      });
    });

    it("record-month-failure: audit PutItem, and reads (lists) the map runs' results for a failed partition's cause", () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('record-month-failure');

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        AuditTable: AUDIT,
        ...declaredBucketGrants('record-month-failure'),
      });
      expect(declaredBucketGrants('record-month-failure')).toEqual({
        'DataBucket/reports/????-??/runs/*/account-partition-results/*/*': ['s3:GetObject'],
        'DataBucket/reports/????-??/runs/*/partition-results/*/*': ['s3:GetObject'],
        DataBucket: ['s3:ListBucket'],
        DataKey: ['kms:Decrypt'],
      });
    });

    it.each(['record-dataset-failure'])('%s: audit PutItem, nothing else', (module) => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction(module);

      // Assess
      expect(grants).toEqual({ '*': XRAY, Logs: LOGS, AuditTable: AUDIT });
    });

    it('validate-roster: reads the uploads and the towns, writes the staged rows and the reports, by key family', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('validate-roster');
      const listed = listPrefixesOf('validate-roster');

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        'DataBucket/incoming/????-??/*/*': ['s3:GetObject'],
        'DataBucket/reference/towns.csv': ['s3:GetObject'],
        DataBucket: ['s3:ListBucket'],
        DataKey: ['kms:Decrypt', 'kms:GenerateDataKey'],
        'DataBucket/staged/????-??/*/*.arrow': ['s3:PutObject'],
        'DataBucket/staged/rosters/????-??/*/*/shards.json': ['s3:PutObject'],
        'DataBucket/staged/rosters/????-??/*/*/by-id/*.arrow': ['s3:PutObject'],
        'DataBucket/staged/rosters/????-??/*/*/by-account/*.arrow': ['s3:PutObject'],
        'DataBucket/reports/????-??/validation/*/*.json': ['s3:PutObject'],
        'DataBucket/reports/????-??/validation/*/*.findings.ndjson': ['s3:PutObject'],
        'DataBucket/reports/????-??/validation/*/*.txt': ['s3:PutObject'],
      });
      // Every key read is also an s3:prefix: an absent one is NoSuchKey (404), not 403.
      expect(listed).toEqual([['incoming/????-??/*/*', 'reference/towns.csv']]);
    });

    it('check-month-complete: reads state and its declared bucket families, writes nothing', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('check-month-complete');

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        StateTable: READ_STATE,
        ...declaredBucketGrants('check-month-complete'),
      });
    });

    it('prepare-month-run: reads state, its declared bucket families, appends audit', () => {
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
        ...declaredBucketGrants('prepare-month-run'),
      });
    });

    it.each([
      [
        'find-shared-accounts',
        {
          'DataBucket/reports/????-??/runs/*/manifest.json': ['s3:GetObject'],
          'DataBucket/staged/rosters/????-??/*/*/by-account/*.arrow': ['s3:GetObject'],
          'DataBucket/reports/????-??/runs/*/shared-accounts/*.json': ['s3:PutObject'],
        },
      ],
      [
        'merge-shared-accounts',
        {
          'DataBucket/reports/????-??/runs/*/manifest.json': ['s3:GetObject'],
          'DataBucket/reports/????-??/runs/*/shared-accounts/*.json': ['s3:GetObject'],
          'DataBucket/reports/????-??/runs/*/shared-accounts.json': ['s3:PutObject'],
        },
      ],
    ])('%s: reads and writes only the shared-account pass’s families, no tables', (module, objects) => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction(module);

      // Assess
      expect(grants).toEqual({ '*': XRAY, Logs: LOGS, ...declaredBucketGrants(module) });
      expect(
        Object.fromEntries(
          Object.entries(declaredBucketGrants(module)).filter(([k]) => k.startsWith('DataBucket/')),
        ),
      ).toEqual(objects);
    });

    it('check-partition: its declared bucket families, no tables', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('check-partition');

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        ...declaredBucketGrants('check-partition'),
      });
    });

    it('write-month-findings: its declared bucket families, appends audit, no state table', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('write-month-findings');

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        AuditTable: AUDIT,
        ...declaredBucketGrants('write-month-findings'),
      });
    });

    it('stage-dataset-on-arrival: its declared bucket families, appends audit, no state table', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('stage-dataset-on-arrival');

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        AuditTable: AUDIT,
        ...declaredBucketGrants('stage-dataset-on-arrival'),
      });
    });

    it('prepare-release: its declared bucket families, no tables', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('prepare-release');

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        ...declaredBucketGrants('prepare-release'),
      });
    });

    it('request-approval: state Get/Put/Update, audit, mails as the sender, reads the link secret, fails superseded steps; no bucket', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('request-approval');

      // Assess
      expect(grants).toEqual({
        '*': ['states:SendTaskFailure', ...XRAY],
        Logs: LOGS,
        StateTable: READ_WRITE_STATE,
        AuditTable: AUDIT,
        ...SENDER_IDENTITIES,
        LinkSecret: ['secretsmanager:GetSecretValue'],
      });
    });

    it('hold-month: its declared bucket families, appends audit, mails as the sender; no state table, no secret', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('hold-month');

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        AuditTable: AUDIT,
        ...declaredBucketGrants('hold-month'),
        ...SENDER_IDENTITIES,
      });
    });

    it('release-month: state Get/Put/Update, audit, its declared bucket families', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('release-month');

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        StateTable: READ_WRITE_STATE,
        AuditTable: AUDIT,
        ...declaredBucketGrants('release-month'),
      });
    });

    it('await-bank-returns: state Get/Put/Update, audit, its declared bucket families, resumes steps; writes no object', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('await-bank-returns');

      // Assess
      expect(grants).toEqual({
        '*': ['states:SendTaskSuccess', ...XRAY],
        Logs: LOGS,
        StateTable: READ_WRITE_STATE,
        AuditTable: AUDIT,
        ...declaredBucketGrants('await-bank-returns'),
      });
    });

    it('close-out-month: its declared bucket families, appends audit; no state table', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('close-out-month');

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        AuditTable: AUDIT,
        ...declaredBucketGrants('close-out-month'),
      });
    });

    it('resume-close-out: state GetItem only, audit, resumes steps; no bucket', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('resume-close-out');

      // Assess
      expect(grants).toEqual({
        '*': ['states:SendTaskSuccess', ...XRAY],
        Logs: LOGS,
        StateTable: GET_STATE,
        AuditTable: AUDIT,
      });
    });

    it('approval-desk: state Get/Put/Update, audit, its declared bucket families, reads the link secret, resumes steps; sends no mail', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction(APPROVAL_DESK_MODULE);

      // Assess
      expect(grants).toEqual({
        '*': ['states:SendTaskSuccess', ...XRAY],
        Logs: LOGS,
        StateTable: READ_WRITE_STATE,
        AuditTable: AUDIT,
        ...declaredBucketGrants(APPROVAL_DESK_MODULE),
        LinkSecret: ['secretsmanager:GetSecretValue'],
      });
    });

    it('compute-month-metrics: its declared bucket families, no tables', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('compute-month-metrics');

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        ...declaredBucketGrants('compute-month-metrics'),
      });
    });

    it('detect-month-anomalies: its declared bucket families, appends audit; no state table', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('detect-month-anomalies');

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        AuditTable: AUDIT,
        ...declaredBucketGrants('detect-month-anomalies'),
      });
    });

    it('draw-month-sample: its declared bucket families, appends audit; no state table', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('draw-month-sample');

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        AuditTable: AUDIT,
        ...declaredBucketGrants('draw-month-sample'),
      });
    });

    it('write-month-page: its declared bucket families, appends audit; no state table', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('write-month-page');

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        AuditTable: AUDIT,
        CaseTable: READ_CASES,
        ...declaredBucketGrants('write-month-page'),
      });
    });

    it.each(['open-month-cases', 'open-visit-cases'])(
      '%s: opens cases (puts, never Update or Delete), its declared bucket families, appends audit; no state table',
      (module) => {
        // Prepare
        synthPayguard();

        // Act
        const grants = grantsOfFunction(module);

        // Assess
        expect(grants).toEqual({
          '*': XRAY,
          Logs: LOGS,
          AuditTable: AUDIT,
          CaseTable: WRITE_CASES,
          ...declaredBucketGrants(module),
        });
      },
    );

    it('write-case-outputs: reads cases, writes the month page and cases.csv, appends audit', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('write-case-outputs');

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        AuditTable: AUDIT,
        CaseTable: READ_CASES,
        ...declaredBucketGrants('write-case-outputs'),
      });
    });

    it('notify-bureau: its declared bucket families, reads cases, mails as the sender; writes nothing', () => {
      // Prepare
      synthPayguard();

      // Act
      const grants = grantsOfFunction('notify-bureau');

      // Assess
      expect(grants).toEqual({
        '*': XRAY,
        Logs: LOGS,
        CaseTable: READ_CASES,
        ...declaredBucketGrants('notify-bureau'),
        ...SENDER_IDENTITIES,
      });
    });

    it("derives every function's bucket grants from the key families it declares, and nothing else", () => {
      // Prepare
      synthPayguard();

      // Act
      const derived = ALL_MODULES.map((module) => {
        const grants = grantsOfFunction(module);
        const bucket = Object.fromEntries(
          Object.entries(grants).filter(([resource]) => /^(DataBucket|DataKey)\b/.test(resource)),
        );
        return { module, bucket, listed: listPrefixesOf(module) };
      });

      // Assess
      expect(derived.filter((d) => Object.keys(d.bucket).length > 0).length).toBe(
        Object.keys(BUCKET_ACCESS).length,
      );
      for (const { module, bucket, listed } of derived) {
        expect(bucket, module).toEqual(declaredBucketGrants(module));
        const access = bucketAccessOf(module);
        expect(listed, module).toEqual(access ? [bucketGrantsOf(access).listPrefixes] : []);
      }
    });

    it('lets only release-month write the release file and its manifest', () => {
      // Prepare
      synthPayguard();
      const writersOf = (key: string) =>
        ALL_MODULES.filter((module) =>
          Object.entries(grantsOfFunction(module)).some(
            ([resource, actions]) =>
              actions.includes('s3:PutObject') &&
              resource.startsWith('DataBucket/') &&
              matchesPattern(resource.slice('DataBucket/'.length), key),
          ),
        );

      // Act
      const release = writersOf('reports/2026-10/release.csv');
      const manifest = writersOf('reports/2026-10/release.manifest.json');
      const candidate = writersOf('reports/2026-10/release-candidate.csv');

      // Assess
      expect(release).toEqual(['release-month']);
      expect(manifest).toEqual(['release-month']);
      expect(candidate).toEqual(['prepare-release']);
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

    it('lets nobody do anything to the audit table but PutItem and Query', () => {
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
      expect(new Set(actions)).toEqual(new Set(['dynamodb:PutItem', 'dynamodb:Query']));
    });
  });

  describe('task callbacks', () => {
    const CALLBACKS: Record<string, string[]> = {
      'request-approval': ['states:SendTaskFailure'],
      'await-bank-returns': ['states:SendTaskSuccess'],
      'resume-close-out': ['states:SendTaskSuccess'],
      [APPROVAL_DESK_MODULE]: ['states:SendTaskSuccess'],
      [DELIVER_DECISIONS_MODULE]: ['states:SendTaskSuccess'],
    };

    /** Every statement in the template naming a `states:SendTask*` action, with its policy. */
    function taskTokenStatements() {
      const { template } = synthPayguard();
      const policies = template.findResources('AWS::IAM::Policy') as Record<
        string,
        {
          Properties: {
            Roles: unknown[];
            PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] };
          };
          Metadata?: { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } };
        }
      >;
      return Object.entries(policies).flatMap(([policyId, policy]) =>
        policy.Properties.PolicyDocument.Statement.filter((s) =>
          [s.Action].flat().some((a) => String(a).startsWith('states:SendTask')),
        ).map((statement) => ({ policyId, policy, statement })),
      );
    }

    it('lets exactly the callback functions end waiting steps, each only with the call it makes', () => {
      // Prepare
      const roleToModule = new Map(
        [...synthPayguard().stack.functions].map(([module, fn]) => [logicalIdOf(fn.executionRole), module]),
      );

      // Act
      const byModule = Object.fromEntries(
        taskTokenStatements().map(({ policy, statement }) => {
          const roles = policy.Properties.Roles as { Ref: string }[];
          expect(roles).toHaveLength(1);
          return [roleToModule.get(roles[0]?.Ref ?? '') ?? roles[0]?.Ref, [statement.Action].flat()];
        }),
      );

      // Assess
      expect(byModule).toEqual(CALLBACKS);
    });

    it.each(Object.keys(CALLBACKS))(
      '%s: task-token calls on "*" in a policy of their own, acknowledged for that reason only',
      (module) => {
        // Prepare
        const fn = functionOf(module);
        const policyId = logicalIdOf(fn.node.findChild('TaskCallbacks'));

        // Act
        const found = taskTokenStatements().filter((s) => s.policyId === policyId);

        // Assess
        expect(found.map((f) => f.policy.Properties.PolicyDocument.Statement)).toEqual([
          [{ Effect: 'Allow', Action: CALLBACKS[module]?.[0], Resource: '*' }],
        ]);
        const suppressions = found[0]?.policy.Metadata?.cdk_nag?.rules_to_suppress ?? [];
        expect(suppressions.map((r) => r.id)).toEqual(['AwsSolutions-IAM5[Resource::*]']);
        expect(suppressions[0]?.reason).toMatch(/support no resource-level permissions/);
        expect(suppressions[0]?.reason).toContain(CALLBACKS[module]?.[0]);
      },
    );

    it('gives no state machine role a task-token call', () => {
      // Prepare
      const { stack, template } = synthPayguard();

      // Act
      const actions = [...stack.workflows.values()].flatMap((machine) =>
        roleStatements(template, logicalIdOf(machine.role)).flatMap((s) => [s.Action].flat()),
      );

      // Assess
      expect(actions.filter((a) => a.startsWith('states:SendTask'))).toEqual([]);
    });
  });

  describe('notifications', () => {
    it('mails only from request-approval, hold-month and notify-bureau, as the sender of the payguard:mailFrom context', () => {
      // Prepare
      const { stack, template } = synthPayguard();

      // Act
      const senders = [...stack.functions]
        .filter(([, fn]) =>
          roleStatements(template, logicalIdOf(fn.executionRole)).some((s) =>
            [s.Action].flat().some((a) => a.startsWith('ses:')),
          ),
        )
        .map(([module]) => module);

      // Assess
      expect(senders.sort()).toEqual([
        'hold-month',
        'issue-desk-links',
        'notify-bureau',
        'record-outcome',
        'record-upload-failure',
        'request-approval',
      ]);
      for (const module of senders) {
        const statements = roleStatements(template, logicalIdOf(functionOf(module).executionRole)).filter(
          (s) => [s.Action].flat().some((a) => a.startsWith('ses:')),
        );
        expect(statements.map((s) => ({ Action: s.Action, Condition: s.Condition }))).toEqual([
          { Action: 'ses:SendEmail', Condition: { StringEquals: { 'ses:FromAddress': MAIL_FROM } } },
        ]);
      }
    });

    it.each([
      'request-approval',
      'hold-month',
      'notify-bureau',
      'record-upload-failure',
      'record-outcome',
      'issue-desk-links',
    ])('%s: gets MAIL_FROM and PAYGUARD_CONTACTS from the cdk.json context', (module) => {
      // Prepare
      const { template } = synthPayguard();

      // Act
      const variables = template.findResources('AWS::Lambda::Function')[logicalIdOf(functionOf(module))]
        ?.Properties.Environment.Variables as Record<string, unknown>;

      // Assess
      expect(variables[ENV.mailFrom]).toBe(CDK_JSON_CONTEXT[MAIL_FROM_CONTEXT_KEY]);
      expect(JSON.parse(variables[ENV.contacts] as string)).toEqual(CDK_JSON_CONTEXT[CONTACTS_CONTEXT_KEY]);
    });

    it('takes the contacts from the context as JSON text too', () => {
      // Prepare
      const contacts = {
        approvers: [{ id: 'a.wang', name: '王审批', email: 'a.wang@mz.county.gov.cn' }],
        towns: {},
        bureau: [],
        operations: ['oncall@mz.county.gov.cn'],
      };
      const stack = composeApp(newTestApp({ [CONTACTS_CONTEXT_KEY]: JSON.stringify(contacts) }));
      const fn = stack.functions.get('hold-month');

      // Act
      const resource =
        fn && Template.fromStack(stack).findResources('AWS::Lambda::Function')[logicalIdOf(fn)];

      // Assess
      expect(JSON.parse(resource?.Properties.Environment.Variables[ENV.contacts])).toEqual(contacts);
    });

    it('refuses to synthesize without the payguard:contacts context, naming the key', () => {
      // Prepare
      const { [CONTACTS_CONTEXT_KEY]: _, ...withoutContacts } = CDK_JSON_CONTEXT;
      const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...withoutContacts } });

      // Act
      const compose = () => composeApp(app);

      // Assess
      expect(compose).toThrow(`Context ${CONTACTS_CONTEXT_KEY} is not set`);
    });

    it('warns while the notifications go to example addresses', () => {
      // Prepare
      const { stack } = synthPayguard();

      // Act
      const warnings = Annotations.fromStack(stack).findWarning(
        '*',
        Match.stringLikeRegexp('example address'),
      );

      // Assess
      expect(warnings).toHaveLength(1);
    });
  });

  describe('approval site', () => {
    it('routes GET /approval, POST /approval and GET /report, and nothing else, to the approval desk', () => {
      // Prepare
      const { template } = synthPayguard();
      const desk = { 'Fn::GetAtt': [logicalIdOf(functionOf(APPROVAL_DESK_MODULE)), 'Arn'] };

      // Act
      const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
      const integrations = Object.values(template.findResources('AWS::ApiGatewayV2::Integration'));

      // Assess
      const townDesk = { 'Fn::GetAtt': [logicalIdOf(functionOf(TOWN_DESK_MODULE)), 'Arn'] };
      const byIntegration = (target: unknown) => {
        const id = Object.entries(template.findResources('AWS::ApiGatewayV2::Integration')).find(
          ([, i]) => JSON.stringify(i.Properties.IntegrationUri) === JSON.stringify(target),
        )?.[0];
        return routes
          .filter((r) => JSON.stringify(r.Properties.Target).includes(String(id)))
          .map((r) => r.Properties.RouteKey)
          .sort();
      };
      expect(byIntegration(desk)).toEqual(['GET /approval', 'GET /report', 'POST /approval']);
      expect(byIntegration(townDesk)).toEqual([
        'GET /desk/home',
        'GET /desk/open',
        'GET /desk/report',
        'POST /desk/open',
        'POST /desk/upload',
      ]);
      expect(routes).toHaveLength(8);
      const api = { Ref: logicalIdOf(synthPayguard().stack.approvalSite.api) };
      expect(integrations.map((i) => i.Properties)).toEqual([
        { ApiId: api, IntegrationType: 'AWS_PROXY', IntegrationUri: desk, PayloadFormatVersion: '2.0' },
        { ApiId: api, IntegrationType: 'AWS_PROXY', IntegrationUri: townDesk, PayloadFormatVersion: '2.0' },
      ]);
      template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    });

    it('lets API Gateway invoke the approval desk only for /approval and /report, the town desk only for /desk routes, of this API', () => {
      // Prepare
      const { stack, template } = synthPayguard();
      const deskId = logicalIdOf(functionOf(APPROVAL_DESK_MODULE));
      const townDeskId = logicalIdOf(functionOf(TOWN_DESK_MODULE));

      // Act
      const all = Object.values(template.findResources('AWS::Lambda::Permission')).map((p) => p.Properties);
      const permissions = all.filter((p) => p.Principal === 'apigateway.amazonaws.com');
      const pathsOf = (id: string) =>
        permissions
          .filter((p) => JSON.stringify(p.FunctionName) === JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] }))
          .map((p) => /"\/\*\/\*(\/[a-z/]+)"/.exec(JSON.stringify(p.SourceArn))?.[1])
          .sort();

      // Assess: the one other permission lets Secrets Manager invoke the link secret's rotation function.
      expect(all.filter((p) => p.Principal !== 'apigateway.amazonaws.com')).toEqual([
        {
          Action: 'lambda:InvokeFunction',
          Principal: 'secretsmanager.amazonaws.com',
          FunctionName: { 'Fn::GetAtt': [logicalIdOf(functionOf(ROTATE_LINK_SECRET_MODULE)), 'Arn'] },
        },
      ]);
      expect(permissions).toHaveLength(8);
      expect(pathsOf(deskId)).toEqual(['/approval', '/approval', '/report']);
      expect(pathsOf(townDeskId)).toEqual([
        '/desk/home',
        '/desk/open',
        '/desk/open',
        '/desk/report',
        '/desk/upload',
      ]);
      for (const permission of permissions) {
        expect(permission).toMatchObject({
          Action: 'lambda:InvokeFunction',
          Principal: 'apigateway.amazonaws.com',
        });
        expect(JSON.stringify(permission.SourceArn)).toContain(
          JSON.stringify({ Ref: logicalIdOf(stack.approvalSite.api) }),
        );
      }
    });

    it('lets the site origin PUT into the data bucket from a browser, nothing else', () => {
      // Prepare
      const { stack, template } = synthPayguard();

      // Act
      const bucket = template.findResources('AWS::S3::Bucket')[logicalIdOf(stack.data.bucket)];

      // Assess
      expect(bucket?.Properties.CorsConfiguration).toEqual({
        CorsRules: [
          {
            AllowedHeaders: ['content-type'],
            AllowedMethods: ['PUT'],
            AllowedOrigins: [{ 'Fn::GetAtt': [logicalIdOf(stack.approvalSite.api), 'ApiEndpoint'] }],
            MaxAge: 3000,
          },
        ],
      });
    });

    it('serves a throttled, auto-deployed $default stage with JSON access logs that leave out paths and query strings', () => {
      // Prepare
      const { stack, template } = synthPayguard();

      // Act
      const stages = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));

      // Assess
      expect(stages).toHaveLength(1);
      expect(stages[0]?.Properties).toMatchObject({
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 20 },
        AccessLogSettings: {
          DestinationArn: { 'Fn::GetAtt': [logicalIdOf(stack.approvalSite.accessLogs), 'Arn'] },
        },
      });
      const format = JSON.parse(stages[0]?.Properties.AccessLogSettings.Format as string) as Record<
        string,
        string
      >;
      expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey' });
      expect(Object.values(format).join(' ')).not.toMatch(/\$context\.(path|querystring|http\.path)/i);
      expect(
        template.findResources('AWS::Logs::LogGroup')[logicalIdOf(stack.approvalSite.accessLogs)]?.Properties,
      ).toMatchObject({ RetentionInDays: 365 });
    });

    it.each(['request-approval', APPROVAL_DESK_MODULE])(
      '%s: APPROVAL_BASE_URL is the endpoint of the approval API',
      (module) => {
        // Prepare
        const { stack, template } = synthPayguard();

        // Act
        const variables =
          template.findResources('AWS::Lambda::Function')[logicalIdOf(functionOf(module))]?.Properties
            .Environment.Variables;

        // Assess
        expect(variables[ENV.approvalBaseUrl]).toEqual({
          'Fn::GetAtt': [logicalIdOf(stack.approvalSite.api), 'ApiEndpoint'],
        });
      },
    );

    it('ends the desk before the HTTP API integration times out (30 s)', () => {
      // Prepare
      const { template } = synthPayguard();

      // Act
      const fn =
        template.findResources('AWS::Lambda::Function')[logicalIdOf(functionOf(APPROVAL_DESK_MODULE))];

      // Assess
      expect(fn?.Properties.Timeout).toBeLessThan(30);
    });
  });

  describe('approval link secret', () => {
    it('is generated, at least 32 characters long', () => {
      // Prepare
      const { stack, template } = synthPayguard();

      // Act
      const secret = template.findResources('AWS::SecretsManager::Secret')[logicalIdOf(stack.linkSecret)];

      // Assess
      expect(secret?.Properties.SecretString).toBeUndefined();
      expect(secret?.Properties.GenerateSecretString.PasswordLength).toBeGreaterThanOrEqual(32);
      expect(secret?.Properties.KmsKeyId).toBeUndefined();
    });

    it('is read by request-approval and approval-desk (GetSecretValue only) and rotated by rotate-link-secret only', () => {
      // Prepare
      const { stack, template } = synthPayguard();
      const secretRef = JSON.stringify({ Ref: logicalIdOf(stack.linkSecret) });
      const policies = template.findResources('AWS::IAM::Policy') as Record<
        string,
        {
          Properties: {
            Roles: { Ref: string }[];
            PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] };
          };
        }
      >;
      const roleToModule = new Map(
        [...stack.functions].map(([module, fn]) => [logicalIdOf(fn.executionRole), module]),
      );

      // Act
      const readers = Object.values(policies).flatMap((p) =>
        p.Properties.PolicyDocument.Statement.filter((s) =>
          JSON.stringify(s.Resource).includes(secretRef),
        ).map((s) => ({
          module: roleToModule.get(p.Properties.Roles[0]?.Ref ?? ''),
          actions: [s.Action].flat(),
        })),
      );

      // Assess
      expect(readers.sort((a, b) => String(a.module).localeCompare(String(b.module)))).toEqual([
        { module: APPROVAL_DESK_MODULE, actions: ['secretsmanager:GetSecretValue'] },
        { module: ISSUE_DESK_LINKS_MODULE, actions: ['secretsmanager:GetSecretValue'] },
        { module: 'request-approval', actions: ['secretsmanager:GetSecretValue'] },
        {
          module: ROTATE_LINK_SECRET_MODULE,
          actions: [
            'secretsmanager:DescribeSecret',
            'secretsmanager:GetSecretValue',
            'secretsmanager:PutSecretValue',
            'secretsmanager:UpdateSecretVersionStage',
          ],
        },
        { module: TOWN_DESK_MODULE, actions: ['secretsmanager:GetSecretValue'] },
      ]);
      // The rotation schedule's own resource policy: nobody, not even the account root, deletes the secret.
      const [policy, ...others] = Object.values(
        template.findResources('AWS::SecretsManager::ResourcePolicy'),
      );
      expect(others).toEqual([]);
      expect(policy?.Properties.ResourcePolicy.Statement).toEqual([
        expect.objectContaining({ Effect: 'Deny', Action: 'secretsmanager:DeleteSecret' }),
      ]);
    });

    it.each(['request-approval', APPROVAL_DESK_MODULE])(
      '%s: APPROVAL_LINK_SECRET_ARN names the secret',
      (module) => {
        // Prepare
        const { stack, template } = synthPayguard();

        // Act
        const variables =
          template.findResources('AWS::Lambda::Function')[logicalIdOf(functionOf(module))]?.Properties
            .Environment.Variables;

        // Assess
        expect(variables[ENV.linkSecretArn]).toEqual({ Ref: logicalIdOf(stack.linkSecret) });
      },
    );
  });

  describe('workflows', () => {
    it('creates a state machine per workflow, month-run before ingest, which starts it', () => {
      // Prepare
      const { stack } = synthPayguard();

      // Act
      const names = [...stack.workflows.keys()];

      // Assess
      expect(names).toEqual(['month-run', 'ingest', 'dataset-ingest', 'bank-returns', 'month-watch']);
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

    it.each(WORKFLOWS.map((w) => [w.name, w] as const))(
      '%s: the deployed definition resolves with the substituted ARNs into JSON naming each of them',
      (_, workflow) => {
        // Prepare
        const { template } = synthPayguard();
        const resource = template.findResources('AWS::StepFunctions::StateMachine')[
          logicalIdOf(workflowOf(workflow.name))
        ];
        const substitutions = Object.fromEntries(
          Object.keys(resource?.Properties.DefinitionSubstitutions).map((name) => [name, `arn:test:${name}`]),
        );

        // Act
        const resolved = JSON.stringify(resolveDefinition(workflow, substitutions));

        // Assess
        expect(resolved).not.toMatch(/\$\{\w+\}/);
        for (const arn of Object.values(substitutions)) expect(resolved).toContain(`"${arn}"`);
      },
    );

    it.each(WORKFLOWS.flatMap((w) => w.tasks.map((t) => [`${w.name}/${t.state}`, w, t] as const)))(
      '%s: waits for a task token exactly when pipelines/workflows.ts says so',
      (_, workflow, task) => {
        // Prepare
        const states = stateDefinitionsOf(workflow);

        // Act
        const state = states.get(task.state);

        // Assess
        expect(state).toMatchObject({
          Type: 'Task',
          Resource: task.waitsForTaskToken
            ? 'arn:aws:states:::lambda:invoke.waitForTaskToken'
            : 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: placeholder(task.arnSubstitution) },
        });
      },
    );

    it('month-run: its callback functions end within a minute though their states wait days', () => {
      // Prepare
      const { template } = synthPayguard();
      const functions = template.findResources('AWS::Lambda::Function');
      const states = stateDefinitionsOf(MONTH_RUN_WORKFLOW);

      // Act
      const callbacks = MONTH_RUN_WORKFLOW.tasks
        .filter((t) => t.waitsForTaskToken)
        .map((t) => ({
          state: t.state,
          stateTimeout: states.get(t.state)?.TimeoutSeconds,
          lambdaTimeout: functions[logicalIdOf(functionOf(t.functionModule))]?.Properties.Timeout,
        }));

      // Assess
      expect(callbacks.map((c) => c.state)).toEqual(['RequestApproval', 'AwaitBankReturns']);
      for (const callback of callbacks) {
        expect(callback.lambdaTimeout).toBeLessThanOrEqual(60);
        expect(callback.stateTimeout).toBeGreaterThanOrEqual(86_400);
      }
    });

    it('month-run: checks the partitions in a distributed Map (items and results in the bucket, no failure tolerated) whose child executions call CheckPartition', () => {
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
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSON' },
          Parameters: { 'Bucket.$': '$.bucket', 'Key.$': '$.itemsKey' },
        },
        ItemSelector: { 'partition.$': '$$.Map.Item.Value.partition' },
        ToleratedFailurePercentage: 0,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'CheckPartition',
          States: {
            CheckPartition: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { FunctionName: placeholder('CheckPartitionFunctionArn') },
            },
          },
        },
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { 'Bucket.$': '$.bucket', 'Prefix.$': '$.resultsPrefix' },
        },
        Catch: [
          {
            ErrorEquals: ['States.ExceedToleratedFailureThreshold'],
            ResultPath: '$.error',
            Next: 'RecordMonthFailure',
          },
        ],
        Next: 'WriteMonthFindings',
      });
      expect(resource?.Properties.DefinitionSubstitutions.CheckPartitionFunctionArn).toEqual({
        'Fn::GetAtt': [logicalIdOf(functionOf('check-partition')), 'Arn'],
      });
    });

    it('month-run: finds the shared accounts in a distributed Map over the account partitions (items and results in the bucket, no failure tolerated), merges them, then checks the partitions', () => {
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
      expect(deployed.States.PrepareMonthRun).toMatchObject({ Next: 'FindSharedAccounts' });
      expect(deployed.States.FindSharedAccounts).toMatchObject({
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSON' },
          Parameters: { 'Bucket.$': '$.bucket', 'Key.$': '$.accountItemsKey' },
        },
        ItemSelector: { 'manifestKey.$': '$.manifestKey', 'partition.$': '$$.Map.Item.Value.partition' },
        ToleratedFailurePercentage: 0,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'FindPartitionSharedAccounts',
          States: {
            FindPartitionSharedAccounts: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { FunctionName: placeholder('FindPartitionSharedAccountsFunctionArn') },
            },
          },
        },
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { 'Bucket.$': '$.bucket', 'Prefix.$': '$.accountResultsPrefix' },
        },
        Catch: [
          {
            ErrorEquals: ['States.ExceedToleratedFailureThreshold'],
            ResultPath: '$.error',
            Next: 'RecordMonthFailure',
          },
        ],
        Next: 'MergeSharedAccounts',
      });
      expect(deployed.States.MergeSharedAccounts).toMatchObject({
        Type: 'Task',
        Parameters: { FunctionName: placeholder('MergeSharedAccountsFunctionArn') },
        Next: 'CheckPartitions',
      });
      expect(resource?.Properties.DefinitionSubstitutions.FindPartitionSharedAccountsFunctionArn).toEqual({
        'Fn::GetAtt': [logicalIdOf(functionOf('find-shared-accounts')), 'Arn'],
      });
      expect(resource?.Properties.DefinitionSubstitutions.MergeSharedAccountsFunctionArn).toEqual({
        'Fn::GetAtt': [logicalIdOf(functionOf('merge-shared-accounts')), 'Arn'],
      });
    });

    it('month-run: opens the cases and writes the release candidate at once, and asks for approval with the candidate once both are done', () => {
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
      expect(deployed.States.WriteMonthFindings).toMatchObject({ Next: 'OpenCasesAndPrepareRelease' });
      expect(deployed.States.OpenCasesAndPrepareRelease).toMatchObject({
        Type: 'Parallel',
        Branches: [
          {
            StartAt: 'OpenMonthCases',
            States: { OpenMonthCases: { Type: 'Task', ResultPath: '$.cases', End: true } },
          },
          {
            StartAt: 'PrepareRelease',
            States: { PrepareRelease: { Type: 'Task', OutputPath: '$.Payload', End: true } },
          },
        ],
        // The second branch's output, the candidate, is what RequestApproval reads, as before.
        OutputPath: '$[1]',
        Next: 'RequestApproval',
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
        Parameters: {
          StateMachineArn: placeholder('MonthRunStateMachineArn'),
          // Named after the month's batch table: a retried start, or two ingests that find the
          // same table complete, return the same run.
          'Name.$': '$.monthCompleteness.runName',
        },
        Catch: [expect.objectContaining({ ErrorEquals: ['StepFunctions.ExecutionAlreadyExistsException'] })],
      });
    });

    it.each(
      [DATASET_INGEST_WORKFLOW, BANK_RETURNS_WORKFLOW, MONTH_WATCH_WORKFLOW].map((w) => [w.name, w] as const),
    )('%s: may start no state machine', (_, workflow) => {
      // Prepare
      const { template } = synthPayguard();
      const machine = workflowOf(workflow.name);

      // Act
      const actions = roleStatements(template, logicalIdOf(machine.role)).flatMap((s) => [s.Action].flat());

      // Assess
      expect(actions.filter((a) => a.startsWith('states:'))).toEqual([]);
    });

    it('month-run: its role holds exactly what AWS documents for a distributed Map reading and writing S3, derived from WORKFLOW_BUCKET_ACCESS', () => {
      // Prepare
      const { stack, template } = synthPayguard();
      const machine = workflowOf(MONTH_RUN_WORKFLOW.name);
      const names = new Map([
        [logicalIdOf(machine), 'MonthRun'],
        [logicalIdOf(stack.data.bucket), 'DataBucket'],
        [logicalIdOf(stack.data.key), 'DataKey'],
      ]);
      const declared = WORKFLOW_BUCKET_ACCESS[MONTH_RUN_WORKFLOW.name];

      // Act
      const grants = Object.fromEntries(
        Object.entries(grantsOf(template, logicalIdOf(machine.role), names)).filter(
          ([, actions]) =>
            !actions.some((a) => a.startsWith('lambda:') || a.startsWith('logs:') || a.startsWith('xray:')),
        ),
      );

      // Assess: https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html (StartExecution on
      // itself, DescribeExecution and StopExecution on its executions) and "IAM policies for ResultWriter" of
      // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html; the ItemReader's GetObject
      expect(declared?.itemReader?.map((s) => s.pattern)).toEqual([
        'reports/????-??/runs/*/account-partition-items.json',
        'reports/????-??/runs/*/partition-items.json',
      ]);
      expect(declared?.resultWriter?.map((s) => s.pattern)).toEqual([
        'reports/????-??/runs/*/account-partition-results/*/*',
        'reports/????-??/runs/*/partition-results/*/*',
      ]);
      expect(grants).toEqual({
        MonthRun: ['states:StartExecution'],
        'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:MonthRun:*': [
          'states:DescribeExecution',
          'states:StopExecution',
        ],
        'DataBucket/reports/????-??/runs/*/account-partition-items.json': ['s3:GetObject'],
        'DataBucket/reports/????-??/runs/*/partition-items.json': ['s3:GetObject'],
        'DataBucket/reports/????-??/runs/*/account-partition-results/*/*': [
          's3:AbortMultipartUpload',
          's3:GetObject',
          's3:ListMultipartUploadParts',
          's3:PutObject',
        ],
        'DataBucket/reports/????-??/runs/*/partition-results/*/*': [
          's3:AbortMultipartUpload',
          's3:GetObject',
          's3:ListMultipartUploadParts',
          's3:PutObject',
        ],
        DataKey: ['kms:Decrypt', 'kms:GenerateDataKey'],
      });
      const kms = roleStatements(template, logicalIdOf(machine.role)).find((st) =>
        [st.Action].flat().includes('kms:GenerateDataKey'),
      );
      expect(kms?.Condition).toEqual({
        StringEquals: {
          'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
        },
      });
    });

    it.each(
      [INGEST_WORKFLOW, DATASET_INGEST_WORKFLOW, BANK_RETURNS_WORKFLOW, MONTH_WATCH_WORKFLOW].map(
        (w) => [w.name, w] as const,
      ),
    )('%s: has no distributed Map, and its role no S3 or KMS access of its own', (_, workflow) => {
      // Prepare
      const { template } = synthPayguard();

      // Act
      const actions = roleStatements(template, logicalIdOf(workflowOf(workflow.name).role)).flatMap((s) =>
        [s.Action].flat(),
      );

      // Assess
      expect(distributedMapsOf(workflow)).toEqual([]);
      expect(WORKFLOW_BUCKET_ACCESS[workflow.name]).toBeUndefined();
      expect(actions.filter((a) => a.startsWith('s3:') || a.startsWith('kms:'))).toEqual([]);
    });

    it('lets no state machine start any state machine but month-run, and nobody start one by wildcard', () => {
      // Prepare
      const { stack, template } = synthPayguard();
      const monthRun = { Ref: logicalIdOf(workflowOf(MONTH_RUN_WORKFLOW.name)) };
      const policies = Object.values(template.findResources('AWS::IAM::Policy'));
      const statesStatementsOf = (
        statements: readonly { Action: string | readonly string[]; Resource: unknown }[],
      ) =>
        statements.filter((s) =>
          [s.Action].flat().some((a) => a === 'states:StartExecution' || a === 'states:*' || a === '*'),
        );

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
      // ingest starts the month run; the month run's distributed Map starts child executions of itself
      expect(byMachines.map((s) => s.Resource)).toEqual([monthRun, monthRun]);
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
    {
      name: 'bank-returns',
      trigger: (stack: ReturnType<typeof synthPayguard>['stack']) => stack.bankReturnsTrigger,
      idPrefix: 'BankReturnsTrigger',
      prefixes: [BANK_RETURNS_TRIGGER.keyPrefix],
      expectedKeys: [{ prefix: 'bank-returns/' }],
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

  describe('month-watch schedule', () => {
    const scheduleOf = (template: Template) => {
      const { stack } = synthPayguard();
      return template.findResources('AWS::Scheduler::Schedule')[
        logicalIdOf(stack.monthWatchSchedule.schedule)
      ];
    };

    it('starts the month-watch machine at the cron of the cdk.json context, in its time zone, on time', () => {
      // Prepare
      const { stack, template } = synthPayguard();

      // Act
      const schedule = scheduleOf(template);

      // Assess
      // The other schedule is the decision-delivery sweep's.
      template.resourceCountIs('AWS::Scheduler::Schedule', 2);
      expect(CDK_JSON_CONTEXT[MONTH_WATCH_SCHEDULE_CONTEXT_KEY]).toBe('cron(0 6 3 * ? *)');
      expect(CDK_JSON_CONTEXT[TIME_ZONE_CONTEXT_KEY]).toBe('Asia/Shanghai');
      expect(schedule?.Properties).toMatchObject({
        ScheduleExpression: 'cron(0 6 3 * ? *)',
        ScheduleExpressionTimezone: 'Asia/Shanghai',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: {
          Arn: { Ref: logicalIdOf(workflowOf(MONTH_WATCH_WORKFLOW.name)) },
          RoleArn: { 'Fn::GetAtt': [logicalIdOf(stack.monthWatchSchedule.role), 'Arn'] },
        },
      });
      expect(schedule?.Properties.ScheduleGroupName).toBeUndefined();
    });

    it('starts it with the data bucket and the time zone, and no month (ComputeMetrics takes the month before)', () => {
      // Prepare
      const { stack, template } = synthPayguard();
      const input = scheduleOf(template)?.Properties.Target.Input as { 'Fn::Join': [string, unknown[]] };

      // Act
      const text = input['Fn::Join'][1]
        .map((part) =>
          JSON.stringify(part) === JSON.stringify({ Ref: logicalIdOf(stack.data.bucket) })
            ? 'DATA-BUCKET'
            : part,
        )
        .join(input['Fn::Join'][0]);

      // Assess
      expect(JSON.parse(text)).toEqual({ bucket: 'DATA-BUCKET', timeZone: 'Asia/Shanghai' });
    });

    it('retries a failed start for a day, then parks it in an encrypted, TLS-only queue with an alarm on it', () => {
      // Prepare
      const { stack, template } = synthPayguard();
      const queueId = logicalIdOf(stack.monthWatchSchedule.deadLetterQueue);

      // Act
      const target = scheduleOf(template)?.Properties.Target;

      // Assess
      expect(target).toMatchObject({
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
        RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
      });
      expect(template.findResources('AWS::SQS::Queue')[queueId]?.Properties).toMatchObject({
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

    it('lets Scheduler start only the month-watch machine and send only to its DLQ, for schedules of this account', () => {
      // Prepare
      const { stack, template } = synthPayguard();
      const roleId = logicalIdOf(stack.monthWatchSchedule.role);

      // Act
      const statements = roleStatements(template, roleId);
      const role = template.findResources('AWS::IAM::Role')[roleId];

      // Assess
      expect(statements).toEqual([
        {
          Effect: 'Allow',
          Action: 'states:StartExecution',
          Resource: { Ref: logicalIdOf(workflowOf(MONTH_WATCH_WORKFLOW.name)) },
        },
        {
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Resource: { 'Fn::GetAtt': [logicalIdOf(stack.monthWatchSchedule.deadLetterQueue), 'Arn'] },
        },
      ]);
      expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role?.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: {
            StringEquals: {
              'aws:SourceAccount': { Ref: 'AWS::AccountId' },
              'aws:SourceArn': {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':scheduler:',
                    { Ref: 'AWS::Region' },
                    ':',
                    { Ref: 'AWS::AccountId' },
                    ':schedule-group/default',
                  ],
                ],
              },
            },
          },
        },
      ]);
    });

    it('takes the schedule and the time zone from the payguard:monthWatchSchedule and payguard:timeZone context', () => {
      // Prepare
      const stack = composeApp(
        newTestApp({
          [MONTH_WATCH_SCHEDULE_CONTEXT_KEY]: 'cron(30 1 ? * MON#1 *)',
          [TIME_ZONE_CONTEXT_KEY]: 'Asia/Urumqi',
        }),
      );

      // Act
      const schedule =
        Template.fromStack(stack).findResources('AWS::Scheduler::Schedule')[
          logicalIdOf(stack.monthWatchSchedule.schedule)
        ];

      // Assess
      expect(schedule?.Properties).toMatchObject({
        ScheduleExpression: 'cron(30 1 ? * MON#1 *)',
        ScheduleExpressionTimezone: 'Asia/Urumqi',
      });
      expect(JSON.stringify(schedule?.Properties.Target.Input)).toContain('\\"timeZone\\":\\"Asia/Urumqi\\"');
    });

    it('keeps its resources under the MonthWatchSchedule construct', () => {
      // Prepare
      const { stack } = synthPayguard();
      const current = stack.monthWatchSchedule;

      // Act
      const ids = [current.schedule, current.role, current.deadLetterQueue, current.deadLetterAlarm].map(
        logicalIdOf,
      );

      // Assess
      expect(ids).toEqual([
        expect.stringMatching(/^MonthWatchSchedule[0-9A-F]{8}$/),
        expect.stringMatching(/^MonthWatchScheduleRole[0-9A-F]{8}$/),
        expect.stringMatching(/^MonthWatchScheduleDeadLetterQueue[0-9A-F]{8}$/),
        expect.stringMatching(/^MonthWatchScheduleDeadLetterAlarm[0-9A-F]{8}$/),
      ]);
    });

    it('outputs the name of the schedule', () => {
      // Prepare
      const { stack, template } = synthPayguard();

      // Act
      const output = template.findOutputs('MonthWatchScheduleName');

      // Assess
      expect(Object.values(output)[0]?.Value).toEqual({
        Ref: logicalIdOf(stack.monthWatchSchedule.schedule),
      });
    });
  });

  describe('outputs', () => {
    it('exports the bucket, the tables, every state machine, the month-watch schedule and the approval site URL', () => {
      // Prepare
      const { template } = synthPayguard();

      // Act
      const outputs = Object.keys(template.findOutputs('*')).sort();

      // Assess
      expect(outputs).toEqual(
        [
          'AuditTableName',
          'CaseTableName',
          'DataBucketName',
          'StateTableName',
          'MonthRunStateMachineArn',
          'IngestStateMachineArn',
          'DatasetIngestStateMachineArn',
          'BankReturnsStateMachineArn',
          'MonthWatchStateMachineArn',
          'MonthWatchScheduleName',
          'ApprovalSiteUrl',
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
