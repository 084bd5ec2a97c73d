import { ArnFormat, Duration, type Size, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { wildcardResourceFinding } from '#infra/nag-finding.ts';
import { type BucketAccess, bucketGrantsOf } from '#pipelines/bucket-access.ts';
import { FUNCTION_ALLOCATOR_ENVIRONMENT } from '#pipelines/function-allocator.ts';
import { FUNCTION_BUNDLING } from '#pipelines/function-bundling.ts';
import { ENV } from '#schemas/tables.ts';

/** Log levels understood by Powertools Logger. */
export type PowertoolsLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/**
 * What a function may do with the run-state table.
 * - `get`: `GetItem` only (looks up one known item, e.g. the month waiting for its bank returns).
 * - `read`: `GetItem` and `Query` (the month run and its completeness check list a month's batches).
 * - `readWrite`: `GetItem`, `PutItem` and `UpdateItem` (single-item conditional writes of the
 *   ingest path); no `Query`, `DeleteItem` or batch writes.
 * - `sweep`: `GetItem`, `Query`, `UpdateItem` and `DeleteItem` (the decision-delivery sweep lists
 *   the decisions noted for it, settles their delivery and forgets the notes); no `PutItem`.
 */
export type StateTableAccess = 'get' | 'read' | 'readWrite' | 'sweep' | 'desk';

/**
 * What a function does with the case table: read cases (the month page, the bureau's notice), or
 * open and save them (conditional puts; nothing is ever updated in place or deleted).
 */
export type CaseTableAccess = 'read' | 'readWrite';

/**
 * A Step Functions task-token call a function makes to end a `.waitForTaskToken` step: resume it
 * (`SendTaskSuccess`) or fail it (`SendTaskFailure`).
 */
export type TaskCallbackAction = 'states:SendTaskSuccess' | 'states:SendTaskFailure';

/** Properties of a {@link PayguardFunction}. */
export interface PayguardFunctionProps {
  /** Absolute path of the handler module (`functions/<name>.ts`) exporting `handler`. */
  readonly entry: string;
  /** Root of the npm project the entry belongs to (holds `package-lock.json`). */
  readonly projectRoot: string;
  /** @default - no description */
  readonly description?: string;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** Size of the function's `/tmp`. @default - Lambda's 512 MiB */
  readonly ephemeralStorageSize?: Size;
  /** @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
  /** @default 'INFO' */
  readonly logLevel?: PowertoolsLogLevel;
}

const CASE_ACTIONS: Readonly<Record<CaseTableAccess, readonly string[]>> = {
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
  // BatchWriteItem only ever puts new cases (the month's findings and visits), never over one.
  readWrite: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:BatchWriteItem',
  ],
};

const STATE_ACTIONS: Readonly<Record<StateTableAccess, readonly string[]>> = {
  get: ['dynamodb:GetItem'],
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
  readWrite: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  sweep: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
  desk: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
};

/** A grant's key pattern starts with a fixed top-level folder: never the whole bucket. */
const UNDER_A_FOLDER = /^[a-z0-9][a-z0-9-]*\//;

/** A bare e-mail address (no display name): `local@domain`, the domain holding at least one dot. */
const MAIL_ADDRESS = /^[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$/;

/**
 * A payguard Lambda function: Node.js 24 on arm64, bundled locally by esbuild as ESM, active
 * tracing, its own log group and its own role holding only what the `bind*` methods grant
 * (no AWSLambdaBasicExecutionRole). Each `bind*` call sets the environment variable the handler
 * reads (names from `schemas/tables.ts`) and the matching least-privilege grant together.
 */
export class PayguardFunction extends NodejsFunction {
  /** The function's own execution role; every grant of the `bind*` methods lands here. */
  readonly executionRole: Role;
  private readonly bound = new Set<string>();

  constructor(scope: Construct, id: string, props: PayguardFunctionProps) {
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}; grants come from PayguardFunction.bind*`,
    });
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
    });
    super(scope, id, {
      entry: props.entry,
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: `${props.projectRoot}/package-lock.json`,
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      ...(props.ephemeralStorageSize === undefined
        ? {}
        : { ephemeralStorageSize: props.ephemeralStorageSize }),
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'payguard',
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...FUNCTION_ALLOCATOR_ENVIRONMENT,
      },
      bundling: {
        // FUNCTION_BUNDLING.format, as CDK's enum spells it.
        format: OutputFormat.ESM,
        target: FUNCTION_BUNDLING.target,
        mainFields: [...FUNCTION_BUNDLING.mainFields],
        banner: FUNCTION_BUNDLING.banner,
        sourceMap: true,
        sourcesContent: false,
        minify: true,
      },
    });
    this.executionRole = role;
    logGroup.grantWrite(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level ' +
        'permissions; every other statement of this role names its resources.',
    });
  }

  /**
   * Sets `CASE_TABLE_NAME` and grants the item actions of `access` on the case table: never
   * `UpdateItem` or `DeleteItem` (a case changes by a conditional put over the version read).
   */
  bindCaseTable(table: ITable, access: CaseTableAccess): void {
    this.bindOnce(ENV.caseTable, table.tableName);
    table.grant(this, ...CASE_ACTIONS[access]);
  }

  /** Sets `STATE_TABLE_NAME` and grants the item actions of `access` on the run-state table. */
  bindStateTable(table: ITable, access: StateTableAccess): void {
    this.bindOnce(ENV.stateTable, table.tableName);
    table.grant(this, ...STATE_ACTIONS[access]);
  }

  /**
   * Sets `AUDIT_TABLE_NAME` and grants `dynamodb:PutItem` and `dynamodb:Query` only: the audit
   * trail is append-only (the table's resource policy refuses any change besides).
   */
  bindAuditTable(table: ITable): void {
    this.bindOnce(ENV.auditTable, table.tableName);
    // Query reads the month's last entry, which the next one is chained to.
    table.grant(this, 'dynamodb:PutItem', 'dynamodb:Query');
  }

  /**
   * Sets `DATA_BUCKET_NAME` and grants what `access` declares, derived by `bucketGrantsOf` (the
   * embedded stack's guard uses the same derivation): `s3:GetObject` and `s3:PutObject` on the
   * key patterns of the families read and written only, plus the KMS use the bucket's key needs.
   * `s3:ListBucket` on the bucket is limited by an `s3:prefix` condition to the folders the
   * function lists and the keys it reads: without it S3 answers a missing key with 403 instead
   * of `NoSuchKey`, which the handlers turn into `UploadVanishedError` / `ReferenceDataError` or
   * read as "optional file absent" (`config/pipeline.json`). For that decision S3 evaluates
   * `s3:ListBucket` with the requested key as `s3:prefix`, so the condition keeps the 404 for
   * every key the function reads.
   * KMS use is limited to requests S3 makes on the function's behalf (`kms:ViaService`).
   */
  bindBucket(bucket: IBucket, access: BucketAccess): void {
    const grants = bucketGrantsOf(access);
    const patterns = [...grants.getObject, ...grants.putObject, ...grants.listPrefixes];
    if (patterns.length === 0) {
      throw new Error(
        `${this.node.path}.bindBucket got no key families; pass e.g. { read: [townsFile] } (schemas/bucket-layout.ts)`,
      );
    }
    for (const pattern of patterns) {
      if (!UNDER_A_FOLDER.test(pattern)) {
        throw new Error(
          `${this.node.path}.bindBucket got the key pattern "${pattern}"; a grant must start with a top-level folder such as "reports/"`,
        );
      }
    }
    this.bindOnce(ENV.bucket, bucket.bucketName);
    if (grants.getObject.length > 0) this.grantObjects(bucket, 's3:GetObject', grants.getObject);
    if (grants.listPrefixes.length > 0) {
      this.addToRolePolicy(
        new PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [...grants.listPrefixes] } },
        }),
      );
    }
    if (grants.getObject.length > 0) this.grantKeyViaS3(bucket, 'kms:Decrypt');
    if (grants.putObject.length > 0) {
      this.grantObjects(bucket, 's3:PutObject', grants.putObject);
      this.grantKeyViaS3(bucket, 'kms:GenerateDataKey');
    }
  }

  /**
   * Lets the function end `.waitForTaskToken` steps with `actions` (no `SendTaskHeartbeat`: no
   * callback step sets `HeartbeatSeconds`). The task-token APIs support no resource-level
   * permissions (the Service Authorization Reference lists no resource type for them), so the
   * statement must name `*`; it lives in a policy of its own, `TaskCallbacks`, whose cdk-nag
   * acknowledgement says exactly that and covers nothing else of the role.
   */
  bindTaskCallbacks(actions: readonly TaskCallbackAction[]): void {
    if (actions.length === 0) {
      throw new Error(
        `${this.node.path}.bindTaskCallbacks got no actions; pass e.g. ['states:SendTaskSuccess']`,
      );
    }
    if (this.node.tryFindChild('TaskCallbacks')) {
      throw new Error(`${this.node.path} already has its task callbacks bound; bind them once per function`);
    }
    const sorted = [...new Set(actions)].sort();
    const policy = new Policy(this, 'TaskCallbacks', {
      roles: [this.executionRole],
      statements: [new PolicyStatement({ actions: sorted, resources: ['*'] })],
    });
    // Deployed before the function, so its first invocation can already call back.
    this.node.addDependency(policy);
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        `${sorted.join(' and ')} support no resource-level permissions (the Service Authorization Reference ` +
        'lists no resource type for them), so Resource must be "*". The function only ends steps whose task ' +
        'token the month-run workflow handed it or stored in the run-state table; a token is an unguessable ' +
        'value naming one waiting step of one execution.',
    });
  }

  /**
   * Sets `APPROVAL_LINK_SECRET_ARN` and grants `secretsmanager:GetSecretValue` on that secret only
   * (no `DescribeSecret`, no writes). The secret must be encrypted with the AWS-managed key
   * `aws/secretsmanager`, which needs no grant of its own.
   */
  bindLinkSecret(secret: ISecret): void {
    if (secret.encryptionKey) {
      throw new Error(
        `${this.node.path}.bindLinkSecret got a secret encrypted with a customer-managed key; ` +
          'use the AWS-managed key, or grant kms:Decrypt on that key as well',
      );
    }
    this.bindOnce(ENV.linkSecretArn, secret.secretArn);
    this.addToRolePolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
    );
  }

  /**
   * Sets `MAIL_FROM` to `address` and grants `ses:SendEmail` (SES API v2) only as that sender:
   * on the SES identities the address can be verified as (the address itself or its domain;
   * neither is created here) and only with that "From" address (`ses:FromAddress`).
   */
  bindMailSender(address: string): void {
    const domain = MAIL_ADDRESS.exec(address)?.[1];
    if (!domain) {
      throw new Error(
        `${this.node.path}.bindMailSender got "${address}"; pass a bare e-mail address without display name, ` +
          'e.g. "payguard@mzj.example.gov.cn"',
      );
    }
    this.bindOnce(ENV.mailFrom, address);
    const stack = Stack.of(this);
    const identity = (name: string) =>
      stack.formatArn({
        service: 'ses',
        resource: 'identity',
        resourceName: name,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [identity(address), identity(domain)],
        conditions: { StringEquals: { 'ses:FromAddress': address } },
      }),
    );
  }

  /**
   * Sets `PAYGUARD_CONTACTS`, the approvers, town offices and bureau as JSON (validated by the
   * caller against `ContactsSchema`); no grant goes with it.
   */
  setContacts(contactsJson: string): void {
    this.bindOnce(ENV.contacts, contactsJson);
  }

  /** Sets `APPROVAL_BASE_URL`, the approval site's URL (links, and the origin decisions come from). */
  setApprovalBaseUrl(url: string): void {
    this.bindOnce(ENV.approvalBaseUrl, url);
  }

  /** Sets `PARTITION_ROWS`, the rows per month-run partition; no grant goes with it. */
  setPartitionRows(rows: number): void {
    if (!Number.isSafeInteger(rows) || rows < 1) {
      throw new Error(`${this.node.path}.setPartitionRows got ${rows}; pass a positive whole number of rows`);
    }
    this.bindOnce(ENV.partitionRows, String(rows));
  }

  private grantKeyViaS3(bucket: IBucket, action: string): void {
    if (!bucket.encryptionKey) return;
    this.addToRolePolicy(
      new PolicyStatement({
        actions: [action],
        resources: [bucket.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }

  private grantObjects(bucket: IBucket, action: string, patterns: readonly string[]): void {
    this.addToRolePolicy(
      new PolicyStatement({ actions: [action], resources: patterns.map((p) => bucket.arnForObjects(p)) }),
    );
    for (const pattern of patterns.filter((p) => p.includes('*'))) {
      Validations.of(this.executionRole).acknowledge({
        id: wildcardResourceFinding(this, bucket.arnForObjects(pattern)),
        reason:
          `${action} is scoped to one key family of the data bucket (${pattern}, schemas/bucket-layout.ts); ` +
          'its wildcards stand for the parts of the key that vary per upload, run, dataset or file (months are ????-??).',
      });
    }
  }

  private bindOnce(name: string, value: string): void {
    if (this.bound.has(name)) {
      throw new Error(
        `${this.node.path} already has ${name} bound; bind each table, bucket or setting once per function`,
      );
    }
    this.bound.add(name);
    this.addEnvironment(name, value);
  }
}
