import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  ApprovalLink,
  ApprovalRejection,
  ApprovalRequest,
  ApprovalSignature,
  ApprovalStore,
  DecisionDelivery,
  ReleaseRecord,
  UndeliveredDecision,
} from '#usecases/approval-ports.ts';
import { queryAll } from './query-all.ts';
import { rethrowStorageError } from './storage-errors.ts';

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error as { name?: string })?.name === 'ConditionalCheckFailedException';

const requestKey = (month: string, requestId: string) => ({
  pk: `MONTH#${month}`,
  sk: `APPROVAL#${requestId}`,
});
const currentKey = (month: string) => ({ pk: `MONTH#${month}`, sk: 'APPROVAL-CURRENT' });
const linkKey = (linkId: string) => ({ pk: `LINK#${linkId}`, sk: 'LINK' });
const releaseKey = (month: string) => ({ pk: `MONTH#${month}`, sk: 'RELEASE' });
const bankWaitKey = (month: string) => ({ pk: `MONTH#${month}`, sk: 'BANK-WAIT' });
/** One partition holds the decisions the sweep must see: a handful at a time. */
const UNDELIVERED = 'DECISION-DELIVERY';
const undeliveredKey = (month: string, requestId: string) => ({
  pk: UNDELIVERED,
  sk: `${month}#${requestId}`,
});
const pendingDelivery = (since: string): DecisionDelivery => ({ status: 'PENDING', since, attempts: 0 });

function strip<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (item === undefined) return undefined;
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
}

/**
 * Approval requests, personal links, the release claim and the bank-returns wait in the state
 * table. Every change is one conditional write, so concurrent clicks and retried steps cannot
 * approve twice, reuse a link, or release two different files.
 */
export class DynamoApprovalStore implements ApprovalStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private async conditional(what: string, write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      rethrowStorageError(error, what);
    }
  }

  private async get<T>(key: Record<string, string>, what: string): Promise<T | undefined> {
    try {
      const { Item } = await this.client.send(
        new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }),
      );
      return strip<T>(Item);
    } catch (error) {
      rethrowStorageError(error, what);
    }
  }

  createRequest(request: ApprovalRequest): Promise<boolean> {
    return this.conditional('creating approval request', () =>
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...requestKey(request.month, request.requestId), ...request },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  getRequest(month: string, requestId: string): Promise<ApprovalRequest | undefined> {
    return this.get(requestKey(month, requestId), 'reading approval request');
  }

  async setCurrentRequest(month: string, requestId: string, at: string): Promise<string | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: currentKey(month),
          UpdateExpression: 'SET requestId = :id, updatedAt = :at',
          ExpressionAttributeValues: { ':id': requestId, ':at': at },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const previous = Attributes?.requestId as string | undefined;
      return previous === requestId ? undefined : previous;
    } catch (error) {
      rethrowStorageError(error, 'pointing month at approval request');
    }
  }

  async currentRequestId(month: string): Promise<string | undefined> {
    return (await this.get<{ requestId: string }>(currentKey(month), 'reading current approval request'))
      ?.requestId;
  }

  closeRequest(
    month: string,
    requestId: string,
    status: 'SUPERSEDED' | 'VOID',
    reason: string,
    at: string,
  ): Promise<boolean> {
    return this.conditional('closing approval request', () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: requestKey(month, requestId),
          UpdateExpression: 'SET #status = :status, closedReason = :reason, closedAt = :at',
          ConditionExpression: status === 'VOID' ? '#status IN (:pending, :approved)' : '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': status,
            ':reason': reason,
            ':at': at,
            ':pending': 'PENDING',
            ...(status === 'VOID' ? { ':approved': 'APPROVED' } : {}),
          },
        }),
      ),
    );
  }

  async putLink(link: ApprovalLink): Promise<void> {
    await this.conditional('storing approval link', () =>
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...linkKey(link.linkId), ...link },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  getLink(linkId: string): Promise<ApprovalLink | undefined> {
    return this.get(linkKey(linkId), 'reading approval link');
  }

  useLink(linkId: string, decision: 'APPROVE' | 'REJECT', at: string): Promise<boolean> {
    return this.conditional('using approval link', () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: linkKey(linkId),
          UpdateExpression: 'SET usedAt = :at, decision = :decision',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt)',
          ExpressionAttributeValues: { ':at': at, ':decision': decision },
        }),
      ),
    );
  }

  async addApproval(
    month: string,
    requestId: string,
    signature: ApprovalSignature,
  ): Promise<ApprovalRequest | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: requestKey(month, requestId),
          UpdateExpression: 'SET approvals.#approver = :signature',
          ConditionExpression: '#status = :pending AND attribute_not_exists(approvals.#approver)',
          ExpressionAttributeNames: { '#status': 'status', '#approver': signature.approverId },
          ExpressionAttributeValues: { ':signature': signature, ':pending': 'PENDING' },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return strip<ApprovalRequest>(Attributes);
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      rethrowStorageError(error, 'adding approval');
    }
  }

  markApproved(month: string, requestId: string, at: string): Promise<boolean> {
    return this.conditional('marking request approved', () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: requestKey(month, requestId),
          UpdateExpression: 'SET #status = :approved, decidedAt = :at, delivery = :delivery',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':approved': 'APPROVED',
            ':pending': 'PENDING',
            ':at': at,
            ':delivery': pendingDelivery(at),
          },
        }),
      ),
    );
  }

  reject(month: string, requestId: string, rejection: ApprovalRejection): Promise<boolean> {
    return this.conditional('rejecting request', () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: requestKey(month, requestId),
          UpdateExpression:
            'SET #status = :rejected, rejection = :rejection, decidedAt = :at, delivery = :delivery',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':rejected': 'REJECTED',
            ':pending': 'PENDING',
            ':rejection': rejection,
            ':at': rejection.at,
            ':delivery': pendingDelivery(rejection.at),
          },
        }),
      ),
    );
  }

  async noteUndelivered(month: string, requestId: string, at: string): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...undeliveredKey(month, requestId), month, requestId, at },
          // A second note of the same decision keeps the first time.
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return;
      rethrowStorageError(error, 'noting a decision to deliver');
    }
  }

  async undelivered(): Promise<UndeliveredDecision[]> {
    const items = await queryAll(
      this.client,
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': UNDELIVERED },
        ConsistentRead: true,
      },
      'listing decisions to deliver',
    );
    return items
      .map((item) => ({ month: String(item.month), requestId: String(item.requestId), at: String(item.at) }))
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }

  async forgetUndelivered(month: string, requestId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({ TableName: this.table, Key: undeliveredKey(month, requestId) }),
      );
    } catch (error) {
      rethrowStorageError(error, 'forgetting a delivered decision');
    }
  }

  async claimDelivery(
    month: string,
    requestId: string,
    nowMs: number,
    leaseMs: number,
  ): Promise<ApprovalRequest | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: requestKey(month, requestId),
          UpdateExpression: 'SET delivery.leaseUntil = :until',
          ConditionExpression:
            'delivery.#status = :pending AND (attribute_not_exists(delivery.leaseUntil) OR delivery.leaseUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pending': 'PENDING', ':now': nowMs, ':until': nowMs + leaseMs },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return strip<ApprovalRequest>(Attributes);
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      rethrowStorageError(error, 'claiming a decision delivery');
    }
  }

  async settleDelivery(
    month: string,
    requestId: string,
    result: { status: DecisionDelivery['status']; attempts: number; at: string; error?: string },
  ): Promise<void> {
    await this.conditional('recording a decision delivery', () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: requestKey(month, requestId),
          UpdateExpression: `SET delivery.#status = :status, delivery.attempts = :attempts, delivery.lastAttemptAt = :at${
            result.error === undefined ? '' : ', delivery.lastError = :error'
          } REMOVE delivery.leaseUntil`,
          ConditionExpression: 'delivery.#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': result.status,
            ':attempts': result.attempts,
            ':at': result.at,
            ':pending': 'PENDING',
            ...(result.error === undefined ? {} : { ':error': result.error.slice(0, 1000) }),
          },
        }),
      ),
    );
  }

  async claimRelease(record: ReleaseRecord): Promise<ReleaseRecord> {
    const claimed = await this.conditional('claiming the release', () =>
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...releaseKey(record.month), ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    if (claimed) return record;
    const existing = await this.get<ReleaseRecord>(releaseKey(record.month), 'reading the release');
    if (existing === undefined) throw new Error(`release of ${record.month} vanished while claimed`);
    return existing;
  }

  async putBankWait(month: string, taskToken: string, at: string): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({ TableName: this.table, Item: { ...bankWaitKey(month), taskToken, since: at } }),
      );
    } catch (error) {
      rethrowStorageError(error, 'storing the bank-returns wait');
    }
  }

  getBankWait(month: string): Promise<{ taskToken: string; since: string } | undefined> {
    return this.get(bankWaitKey(month), 'reading the bank-returns wait');
  }
}
