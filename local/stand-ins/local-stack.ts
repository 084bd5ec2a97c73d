import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from '@20minutes/s3rver';
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { AUDIT_TABLE_KEYS, CASE_TABLE_KEYS, ENV, STATE_TABLE_KEYS } from '#schemas/tables.ts';
import { guardHandlersBucket } from './bucket-guard.ts';
import { removeStaleFolders } from './stale-folders.ts';

/** Raw S3 notification as the S3 stand-in emits it. */
export interface S3NotificationRecord {
  readonly eventTime: string;
  readonly eventName: string;
  readonly s3: {
    readonly bucket: { readonly name: string };
    readonly object: {
      readonly key: string;
      readonly size?: number;
      readonly eTag?: string;
      readonly sequencer?: string;
    };
  };
}

/** A running embedded stack: S3 and DynamoDB stand-ins on loopback, ephemeral ports. */
export interface LocalStack {
  readonly bucket: string;
  readonly stateTable: string;
  readonly auditTable: string;
  /** The case table (issue 11). */
  readonly caseTable: string;
  readonly s3Endpoint: string;
  readonly dynamoEndpoint: string;
  /**
   * The S3 stand-in's files: a temporary folder `payguard-s3-{pid}-…` that `stop` removes (a CLI
   * interrupted by a signal removes it itself; one left by a killed process goes at the next start).
   */
  readonly directory: string;
  /** Subscribes to object events of the S3 stand-in. */
  onObjectEvent(listener: (record: S3NotificationRecord) => void): void;
  stop(): Promise<void>;
}

const BUCKET = 'payguard-data';
const STATE_TABLE = 'payguard-state';
const AUDIT_TABLE = 'payguard-audit';
const CASE_TABLE = 'payguard-cases';
/** The stand-in's temporary folders: the id of the process that made each is in its name. */
const STACK_FOLDER_PREFIX = 'payguard-s3-';
const STACK_FOLDER = /^payguard-s3-(\d+)-/;

async function createTable(
  client: DynamoDBClient,
  name: string,
  keys: { partitionKey: string; sortKey: string },
) {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: keys.partitionKey, AttributeType: 'S' },
        { AttributeName: keys.sortKey, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: keys.partitionKey, KeyType: 'HASH' },
        { AttributeName: keys.sortKey, KeyType: 'RANGE' },
      ],
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 10, minDelay: 1 }, { TableName: name });
}

/**
 * The bucket's CORS locally: the town desk's page (the loopback site, any port) PUTs rosters
 * through presigned URLs, as the deployed bucket allows the site's origin.
 */
const LOOPBACK_PUT_CORS = `<CORSConfiguration><CORSRule>
<AllowedOrigin>http://127.0.0.1:*</AllowedOrigin><AllowedOrigin>http://localhost:*</AllowedOrigin>
<AllowedMethod>PUT</AllowedMethod><AllowedHeader>content-type</AllowedHeader><MaxAgeSeconds>3000</MaxAgeSeconds>
</CORSRule></CORSConfiguration>`;

/**
 * Starts the embedded stack and points the AWS SDK at it through its standard environment
 * variables. Call before any handler module is imported: SDK clients are created once per module.
 * The handlers' S3 client then refuses what a function's role would not allow (`guardBucket`).
 * Folders of stacks whose process was killed before it could stop them are removed first.
 */
export async function startLocalStack(options: { logLevel?: string } = {}): Promise<LocalStack> {
  await removeStaleFolders(tmpdir(), STACK_FOLDER);
  const directory = await mkdtemp(join(tmpdir(), `${STACK_FOLDER_PREFIX}${process.pid}-`));
  const s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    allowMismatchedSignatures: true,
    configureBuckets: [{ name: BUCKET, configs: [LOOPBACK_PUT_CORS] }],
  });
  const s3Address = (await s3.run()) as AddressInfo;
  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => dynamo.listen(0, '127.0.0.1', resolve));
  const dynamoAddress = dynamo.address() as AddressInfo;

  const s3Endpoint = `http://127.0.0.1:${s3Address.port}`;
  const dynamoEndpoint = `http://127.0.0.1:${dynamoAddress.port}`;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: s3Endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    // The S3 stand-in rejects streamed uploads with the SDK's default flexible checksums.
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    [ENV.stateTable]: STATE_TABLE,
    [ENV.auditTable]: AUDIT_TABLE,
    [ENV.caseTable]: CASE_TABLE,
    [ENV.bucket]: BUCKET,
    POWERTOOLS_SERVICE_NAME: 'payguard',
    POWERTOOLS_LOG_LEVEL: options.logLevel ?? process.env.PAYGUARD_LOG_LEVEL ?? 'SILENT',
  });
  delete process.env.AWS_PROFILE;
  guardHandlersBucket();

  const client = new DynamoDBClient({ endpoint: dynamoEndpoint });
  await createTable(client, STATE_TABLE, STATE_TABLE_KEYS);
  await createTable(client, AUDIT_TABLE, AUDIT_TABLE_KEYS);
  await createTable(client, CASE_TABLE, CASE_TABLE_KEYS);
  client.destroy();

  return {
    bucket: BUCKET,
    stateTable: STATE_TABLE,
    auditTable: AUDIT_TABLE,
    caseTable: CASE_TABLE,
    s3Endpoint,
    dynamoEndpoint,
    directory,
    onObjectEvent(listener) {
      s3.on('event', (event: { Records: S3NotificationRecord[] }) => {
        for (const record of event.Records) listener(record);
      });
    },
    async stop() {
      await s3.close();
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
      await rm(directory, { recursive: true, force: true });
    },
  };
}
