import { rm } from 'node:fs/promises';
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { AUDIT_TABLE_KEYS, CASE_TABLE_KEYS, ENV, STATE_TABLE_KEYS } from '#schemas/tables.ts';
import { guardHandlersBucket } from './bucket-guard.ts';
import { BUCKET, makeStackFolder } from './stack-folder.ts';
import type { S3NotificationRecord, StandInServers } from './stand-in-servers.ts';
import type { StandInsAhead } from './stand-ins-ahead.ts';
import { forkStandInServers } from './stand-ins-process.ts';

export type { S3NotificationRecord };

/**
 * Where the S3 and DynamoDB stand-ins run: `in-process`, in the caller's process (the engine's);
 * `child`, in a child process of their own, as in AWS neither shares the orchestrator's CPU.
 */
export type StandInsPlace = 'in-process' | 'child';

/** `PAYGUARD_STAND_INS`: where the stand-ins run when the caller does not say. */
export function standInsPlaceFromEnvironment(): StandInsPlace | undefined {
  const text = process.env.PAYGUARD_STAND_INS;
  if (text === undefined || text === '') return undefined;
  if (text === 'in-process' || text === 'child') return text;
  throw new Error(`PAYGUARD_STAND_INS must be in-process or child, got "${text}"`);
}

/**
 * A running embedded stack: S3 and DynamoDB stand-ins on loopback, ephemeral ports (their
 * endpoints and object events as {@link StandInServers} gives them: as with EventBridge in AWS, an
 * event may be told after its PUT is answered, so wait with `eventsDelivered`).
 */
export interface LocalStack
  extends Pick<
    StandInServers,
    's3Endpoint' | 'dynamoEndpoint' | 'onObjectEvent' | 'eventsDelivered' | 'importFile' | 'exportObject'
  > {
  readonly bucket: string;
  readonly stateTable: string;
  readonly auditTable: string;
  /** The case table (issue 11). */
  readonly caseTable: string;
  /**
   * The S3 stand-in's files: a temporary folder `payguard-s3-{pid}-…` that `stop` removes (a CLI
   * interrupted by a signal removes it itself; one left by a killed process goes at the next start).
   * The pid is the caller's, wherever the stand-ins run: the folder is stale once the run is gone.
   */
  readonly directory: string;
  /** Where the stand-ins run, and the id of their process (this one's when `in-process`). */
  readonly standIns: StandInsPlace;
  readonly standInsPid: number;
  /** Stops the stand-ins (their process ends) and removes their folder; events still due are told first. */
  stop(): Promise<void>;
}

const STATE_TABLE = 'payguard-state';
const AUDIT_TABLE = 'payguard-audit';
const CASE_TABLE = 'payguard-cases';

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
 * Starts the embedded stack and points the AWS SDK at it through its standard environment
 * variables. Call before any handler module is imported: SDK clients are created once per module.
 * The handlers' S3 client then refuses what a function's role would not allow (`guardBucket`).
 * Folders of stacks whose process was killed before it could stop them are removed first.
 */
export async function startLocalStack(
  options: {
    logLevel?: string;
    /** @default - `PAYGUARD_STAND_INS`, else `in-process` */
    standIns?: StandInsPlace;
    /** Stand-ins' process forked ahead (`stand-ins-ahead.ts`): the stack adopts it (and `child` is implied). */
    ahead?: StandInsAhead;
  } = {},
): Promise<LocalStack> {
  const { ahead } = options;
  const standIns = ahead ? 'child' : (options.standIns ?? standInsPlaceFromEnvironment() ?? 'in-process');
  let directory: string;
  let starting: Promise<StandInServers>;
  if (ahead) {
    directory = ahead.directory;
    starting = ahead.adopt();
  } else {
    directory = await makeStackFolder();
    // In-process stand-ins are imported only here: a caller whose stand-ins run in their own
    // process does not load s3rver and dynalite.
    const start =
      standIns === 'child' ? forkStandInServers : (await import('./stand-in-servers.ts')).startStandInServers;
    starting = start({ directory, bucket: BUCKET });
  }
  const servers = await starting.catch(async (error: unknown) => {
    await rm(directory, { recursive: true, force: true });
    throw error;
  });
  const { s3Endpoint, dynamoEndpoint } = servers;
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
    standIns,
    standInsPid: servers.pid,
    onObjectEvent: (listener) => servers.onObjectEvent(listener),
    eventsDelivered: () => servers.eventsDelivered(),
    importFile: (key, path) => servers.importFile(key, path),
    exportObject: (key, path) => servers.exportObject(key, path),
    async stop() {
      await servers.eventsDelivered().catch(() => undefined);
      await servers.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
