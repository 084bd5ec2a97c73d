import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type {
  CaseRecord,
  CaseSaveResult,
  CaseStore,
  Clearance,
  PendingReplacement,
} from '#usecases/ports.ts';
import { queryAll } from './query-all.ts';
import { rethrowStorageError } from './storage-errors.ts';

const monthKey = (month: string) => `MONTH#${month}`;
const townPrefix = (town: string) => `TOWN#${town}#`;
const caseKey = (town: string, caseId: string) => `${townPrefix(town)}CASE#${caseId}`;
const replacementKey = (town: string, rank: number) =>
  `${townPrefix(town)}REPLACEMENT#${String(rank).padStart(6, '0')}`;
const clearedKey = (code: string, idNumber: string, category: string) =>
  `CLEARED#${code}#${idNumber}#${category}`;
const evidenceKey = (fingerprint: string) => `EVIDENCE#${fingerprint}`;

const isConditionFailure = (error: unknown) =>
  (error as { name?: string }).name === 'ConditionalCheckFailedException';

const strip = <T>({ pk: _pk, sk: _sk, itemType: _t, ...rest }: Record<string, unknown>) => rest as T;

/**
 * The case table (`schemas/tables.ts` `CASE_TABLE_KEYS`). A case is put once when opened
 * (`attribute_not_exists`) and then only over the version it was read at, so of two saves of one
 * case the second is refused (`CONFLICT`) instead of overwriting the first.
 */
export class DynamoCaseStore implements CaseStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async open(record: CaseRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: monthKey(record.month),
            sk: caseKey(record.town, record.caseId),
            itemType: 'CASE',
            ...record,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      rethrowStorageError(error, `opening case ${record.caseId}`);
    }
  }

  async save(record: CaseRecord, expectedVersion: number): Promise<CaseSaveResult> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: monthKey(record.month),
            sk: caseKey(record.town, record.caseId),
            itemType: 'CASE',
            ...record,
          },
          ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
      return 'SAVED';
    } catch (error) {
      if (isConditionFailure(error)) return 'CONFLICT';
      rethrowStorageError(error, `saving case ${record.caseId}`);
    }
  }

  async get(month: string, town: string, caseId: string): Promise<CaseRecord | undefined> {
    try {
      const { Item } = await this.client.send(
        new GetCommand({
          TableName: this.table,
          Key: { pk: monthKey(month), sk: caseKey(town, caseId) },
          ConsistentRead: true,
        }),
      );
      return Item ? strip<CaseRecord>(Item) : undefined;
    } catch (error) {
      rethrowStorageError(error, `reading case ${caseId}`);
    }
  }

  async listTown(month: string, town: string): Promise<CaseRecord[]> {
    return this.query(month, `${townPrefix(town)}CASE#`, `listing the cases of ${town} in ${month}`);
  }

  async listMonth(month: string): Promise<CaseRecord[]> {
    const items = await queryAll(
      this.client,
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :town)',
        FilterExpression: 'itemType = :case',
        ExpressionAttributeValues: { ':pk': monthKey(month), ':town': 'TOWN#', ':case': 'CASE' },
        ConsistentRead: true,
      },
      `listing the cases of ${month}`,
    );
    return items.map((item) => strip<CaseRecord>(item));
  }

  async putReplacement(replacement: PendingReplacement): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: monthKey(replacement.month),
            sk: replacementKey(replacement.town, replacement.rank),
            itemType: 'REPLACEMENT',
            ...replacement,
          },
        }),
      );
    } catch (error) {
      rethrowStorageError(error, `keeping replacement ${replacement.rank} of ${replacement.town}`);
    }
  }

  async listReplacements(month: string, town: string): Promise<PendingReplacement[]> {
    const items = await queryAll(
      this.client,
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': monthKey(month), ':prefix': `${townPrefix(town)}REPLACEMENT#` },
        ConsistentRead: true,
      },
      `listing the replacements of ${town} in ${month}`,
    );
    return items.map((item) => strip<PendingReplacement>(item));
  }

  async clearance(
    code: string,
    idNumber: string,
    category: string,
    fingerprint: string,
  ): Promise<Clearance | undefined> {
    try {
      const { Item } = await this.client.send(
        new GetCommand({
          TableName: this.table,
          Key: { pk: clearedKey(code, idNumber, category), sk: evidenceKey(fingerprint) },
          ConsistentRead: true,
        }),
      );
      return Item ? strip<Clearance>(Item) : undefined;
    } catch (error) {
      rethrowStorageError(error, `reading the clearance of a ${code} finding`);
    }
  }

  async putClearance(clearance: Clearance): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: clearedKey(clearance.code, clearance.idNumber, clearance.category),
            sk: evidenceKey(clearance.evidenceFingerprint),
            itemType: 'CLEARANCE',
            ...clearance,
          },
          // A later month's clearance replaces an earlier one; a re-run never moves it back.
          ConditionExpression: 'attribute_not_exists(pk) OR #month <= :month',
          ExpressionAttributeNames: { '#month': 'month' },
          ExpressionAttributeValues: { ':month': clearance.month },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return;
      rethrowStorageError(error, `recording the clearance of case ${clearance.caseId}`);
    }
  }

  private async query(month: string, prefix: string, what: string): Promise<CaseRecord[]> {
    const items = await queryAll(
      this.client,
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': monthKey(month), ':prefix': prefix },
        ConsistentRead: true,
      },
      what,
    );
    return items.map((item) => strip<CaseRecord>(item));
  }
}
