import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditChainHead, AuditLedger, ChainedAuditEntry } from '#usecases/ports.ts';
import { queryAll } from './query-all.ts';
import { rethrowStorageError } from './storage-errors.ts';

/** Sort keys of chained entries: `SEQ#` and the seq, zero-padded so that text order is seq order. */
const SEQ_PREFIX = 'SEQ#';
const sortKey = (seq: number) => `${SEQ_PREFIX}${String(seq).padStart(12, '0')}`;
const partitionKey = (month: string) => `MONTH#${month}`;

/**
 * The audit table as a ledger: one partition per month (`MONTH#{month}`), one item per entry at
 * sort key `SEQ#{seq}`. An entry is only ever put where none is (`attribute_not_exists`); the
 * table's resource policy refuses updates and deletes to everyone.
 */
export class DynamoAuditLedger implements AuditLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async head(month: string): Promise<AuditChainHead | undefined> {
    try {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :seq)',
          ExpressionAttributeValues: { ':pk': partitionKey(month), ':seq': SEQ_PREFIX },
          ProjectionExpression: '#seq, #sha256',
          ExpressionAttributeNames: { '#seq': 'seq', '#sha256': 'sha256' },
          ScanIndexForward: false,
          Limit: 1,
          // A stale head would only cost a retry, but a consistent one costs none.
          ConsistentRead: true,
        }),
      );
      const item = page.Items?.[0];
      return item ? { seq: Number(item.seq), sha256: String(item.sha256) } : undefined;
    } catch (error) {
      rethrowStorageError(error, `reading the audit chain head of ${month}`);
    }
  }

  async add(entry: ChainedAuditEntry): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: partitionKey(entry.month), sk: sortKey(entry.seq), ...entry },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      rethrowStorageError(error, 'appending audit entry');
    }
  }

  async list(month: string): Promise<ChainedAuditEntry[]> {
    const items = await queryAll(
      this.client,
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': partitionKey(month) },
        ConsistentRead: true,
      },
      `listing audit trail of ${month}`,
    );
    return items.map(({ pk: _pk, sk: _sk, ...entry }) => entry as unknown as ChainedAuditEntry);
  }
}
