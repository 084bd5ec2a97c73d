import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DeskLink, DeskSession, DeskStore, TownUpload } from '#usecases/desk-ports.ts';
import type { BatchState } from '#usecases/ports.ts';
import { queryAll } from './query-all.ts';
import { batchKey, batchUploadsPartition, uploadKey } from './state-keys.ts';
import { rethrowStorageError } from './storage-errors.ts';

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error as { name?: string })?.name === 'ConditionalCheckFailedException';

const linkKey = (linkId: string) => ({ pk: `DESK_LINK#${linkId}`, sk: 'LINK' });
const sessionKey = (sessionId: string) => ({ pk: `DESK_SESSION#${sessionId}`, sk: 'SESSION' });

/** Drops the table's key attributes from an item read back. */
function withoutKeys<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (item === undefined) return undefined;
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
}

/**
 * The town desk's links and sessions in the state table (one item each), and the run state's
 * upload and batch items it reads. Every change is a single conditional write.
 */
export class DynamoDeskStore implements DeskStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async putLink(link: DeskLink): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...linkKey(link.linkId), ...link },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      rethrowStorageError(error, 'storing a desk link');
    }
  }

  async getLink(linkId: string): Promise<DeskLink | undefined> {
    return withoutKeys<DeskLink>(await this.get(linkKey(linkId), 'reading a desk link'));
  }

  async useLink(linkId: string, at: string): Promise<boolean> {
    return this.update(
      linkKey(linkId),
      'SET usedAt = :at',
      'attribute_exists(pk) AND attribute_not_exists(usedAt) AND attribute_not_exists(revokedAt)',
      { ':at': at },
      'using a desk link',
    );
  }

  async revokeLink(linkId: string, at: string, by: string): Promise<boolean> {
    return this.update(
      linkKey(linkId),
      'SET revokedAt = if_not_exists(revokedAt, :at), revokedBy = if_not_exists(revokedBy, :by)',
      'attribute_exists(pk)',
      { ':at': at, ':by': by },
      'revoking a desk link',
    );
  }

  async putSession(session: DeskSession): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...sessionKey(session.sessionId), ...session },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      rethrowStorageError(error, 'storing a desk session');
    }
  }

  async getSession(sessionId: string): Promise<DeskSession | undefined> {
    return withoutKeys<DeskSession>(await this.get(sessionKey(sessionId), 'reading a desk session'));
  }

  async batchUploads(month: string, batch: string): Promise<TownUpload[]> {
    const entries = await queryAll(
      this.client,
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': batchUploadsPartition(month, batch) },
      },
      `listing the uploads of ${month} ${batch}`,
    );
    const uploads = await Promise.all(entries.map((entry) => this.getUpload(String(entry.uploadId))));
    return uploads.filter((u): u is TownUpload => u !== undefined);
  }

  async getUpload(uploadId: string): Promise<TownUpload | undefined> {
    return withoutKeys<TownUpload>(await this.get(uploadKey(uploadId), 'reading an upload'));
  }

  async acceptedStagedKey(month: string, batch: string): Promise<string | undefined> {
    const state = withoutKeys<BatchState>(await this.get(batchKey(month, batch), 'reading a batch'));
    return state?.status === 'ACCEPTED' ? state.outcome?.stagedKey : undefined;
  }

  private async get(key: Record<string, string>, what: string): Promise<Record<string, unknown> | undefined> {
    try {
      const { Item } = await this.client.send(
        new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }),
      );
      return Item;
    } catch (error) {
      return rethrowStorageError(error, what);
    }
  }

  private async update(
    key: Record<string, string>,
    expression: string,
    condition: string,
    values: Record<string, unknown>,
    what: string,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: expression,
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      return rethrowStorageError(error, what);
    }
  }
}
