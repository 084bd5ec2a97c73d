import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  BatchState,
  RegisterResult,
  RunStateStore,
  UploadIdentity,
  ValidationOutcome,
} from '#usecases/ports.ts';
import { queryAll } from './query-all.ts';
import { batchKey, batchUploadKey, rejectionNoticeKey, uploadKey as uploadItemKey } from './state-keys.ts';
import { rethrowStorageError } from './storage-errors.ts';

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error as { name?: string })?.name === 'ConditionalCheckFailedException';

const uploadKey = (u: UploadIdentity) => uploadItemKey(u.uploadId);

/**
 * Run state in the state table: one item per upload (file version) and one per batch of a month
 * pointing at the batch's newest upload. Every change is a single conditional write.
 */
export class DynamoRunStateStore implements RunStateStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    /** Identifies the workflow execution; a retry within it is not a duplicate. */
    private readonly claim: string,
  ) {}

  async registerUpload(upload: UploadIdentity, at: string): Promise<RegisterResult> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...uploadKey(upload),
            ...upload,
            status: 'REGISTERED',
            claim: this.claim,
            registeredAt: at,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :failed OR claim = :claim',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':failed': 'FAILED', ':claim': this.claim },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return 'DUPLICATE';
      rethrowStorageError(error, 'registering upload');
    }
    try {
      // The batch's uploads in order, for the town desk (a repeat writes the same item again).
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...batchUploadKey(upload.month, upload.batch, upload.order, upload.uploadId),
            uploadId: upload.uploadId,
          },
        }),
      );
    } catch (error) {
      rethrowStorageError(error, 'listing the upload under its batch');
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: batchKey(upload.month, upload.batch),
          UpdateExpression:
            'SET #month = :month, #batch = :batch, latestUploadId = :id, latestKey = :key, latestOrder = :order, #status = :pending, updatedAt = :at REMOVE outcome, failure',
          ConditionExpression: 'attribute_not_exists(pk) OR latestOrder < :order OR latestUploadId = :id',
          ExpressionAttributeNames: { '#status': 'status', '#month': 'month', '#batch': 'batch' },
          ExpressionAttributeValues: {
            ':month': upload.month,
            ':batch': upload.batch,
            ':id': upload.uploadId,
            ':key': upload.key,
            ':order': upload.order,
            ':pending': 'PENDING',
            ':at': at,
          },
        }),
      );
      return 'REGISTERED';
    } catch (error) {
      if (!isConditionFailure(error)) rethrowStorageError(error, 'pointing batch at upload');
    }
    await this.setUploadStatus(upload, 'SUPERSEDED', at);
    return 'SUPERSEDED';
  }

  async recordOutcome(upload: UploadIdentity, outcome: ValidationOutcome, at: string): Promise<boolean> {
    const current = await this.updateCurrentBatch(
      upload,
      at,
      'SET #status = :status, outcome = :outcome, updatedAt = :at REMOVE failure',
      {
        ':status': outcome.status,
        ':outcome': outcome,
      },
    );
    await this.setUploadStatus(upload, current ? outcome.status : 'SUPERSEDED', at, { outcome });
    return current;
  }

  async recordFailure(upload: UploadIdentity, reason: string, at: string): Promise<boolean> {
    const current = await this.updateCurrentBatch(
      upload,
      at,
      'SET #status = :status, failure = :failure, updatedAt = :at REMOVE outcome',
      {
        ':status': 'FAILED',
        ':failure': reason,
      },
    );
    await this.setUploadStatus(upload, 'FAILED', at, { failure: reason });
    return current;
  }

  async claimRejectionNotice(uploadId: string, at: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...rejectionNoticeKey(uploadId), status: 'SENDING', claimedAt: at },
          // A notice whose sending failed is claimed again by the retry.
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :failed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':failed': 'FAILED' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      return rethrowStorageError(error, 'claiming the rejection notice');
    }
  }

  async settleRejectionNotice(uploadId: string, sent: boolean, at: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: rejectionNoticeKey(uploadId),
          UpdateExpression: 'SET #status = :status, settledAt = :at',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': sent ? 'SENT' : 'FAILED', ':at': at },
        }),
      );
    } catch (error) {
      rethrowStorageError(error, 'settling the rejection notice');
    }
  }

  async listBatches(month: string): Promise<BatchState[]> {
    const items = await queryAll(
      this.client,
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `MONTH#${month}`, ':prefix': 'BATCH#' },
      },
      `listing batches of ${month}`,
    );
    return items as unknown as BatchState[];
  }

  /** Applies an update to the batch if the upload is still its newest; false when it is not. */
  private async updateCurrentBatch(
    upload: UploadIdentity,
    at: string,
    expression: string,
    values: Record<string, unknown>,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: batchKey(upload.month, upload.batch),
          UpdateExpression: expression,
          ConditionExpression: 'latestUploadId = :id',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ...values, ':id': upload.uploadId, ':at': at },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      return rethrowStorageError(error, 'recording batch state');
    }
  }

  private async setUploadStatus(
    upload: UploadIdentity,
    status: string,
    at: string,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':status': status, ':at': at };
    let expression = 'SET #status = :status, updatedAt = :at';
    for (const [name, value] of Object.entries(extra)) {
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      expression += `, #${name} = :${name}`;
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: uploadKey(upload),
          UpdateExpression: expression,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      rethrowStorageError(error, 'recording upload status');
    }
  }
}
