import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, AuditTrail } from '#usecases/ports.ts';
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
    const entries: AuditEntry[] = [];
    let start: Record<string, unknown> | undefined;
    try {
      do {
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': `MONTH#${month}` },
            ExclusiveStartKey: start,
          }),
        );
        for (const { pk: _pk, sk: _sk, ...entry } of page.Items ?? []) entries.push(entry as AuditEntry);
        start = page.LastEvaluatedKey;
      } while (start);
    } catch (error) {
      rethrowStorageError(error, `listing audit trail of ${month}`);
    }
    return entries;
  }
}
