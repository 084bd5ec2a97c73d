import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, AuditTrail } from '#usecases/ports.ts';
import { queryAll } from './query-all.ts';
import { rethrowStorageError } from './storage-errors.ts';

/** Append-only audit trail: one partition per month, sorted by time; entries are never updated. */
export class DynamoAuditTrail implements AuditTrail {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async append(entry: AuditEntry): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `MONTH#${entry.month}`, sk: `${entry.at}#${randomUUID()}`, ...entry },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      rethrowStorageError(error, 'appending audit entry');
    }
  }

  async list(month: string): Promise<AuditEntry[]> {
    const items = await queryAll(
      this.client,
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `MONTH#${month}` },
      },
      `listing audit trail of ${month}`,
    );
    return items.map(({ pk: _pk, sk: _sk, ...entry }) => entry as unknown as AuditEntry);
  }
}
