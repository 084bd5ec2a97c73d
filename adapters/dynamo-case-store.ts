import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import { inBatches } from '#usecases/in-batches.ts';
import type {
  CaseLine,
  CaseRecord,
  CaseSaveResult,
  CaseStore,
  Clearance,
  PendingReplacement,
} from '#usecases/ports.ts';
import { CASE_LINE_FIELDS, caseIdKind, clearanceKey } from '#usecases/ports.ts';
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

/** {@link CASE_LINE_FIELDS} as a projection (each a name placeholder: `month` and `status` are reserved words). */
const LINE_PROJECTION = {
  ProjectionExpression: CASE_LINE_FIELDS.map((_, i) => `#l${i}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(CASE_LINE_FIELDS.map((field, i) => [`#l${i}`, field])),
};

const isConditionFailure = (error: unknown) =>
  (error as { name?: string }).name === 'ConditionalCheckFailedException';

/**
 * Batch calls of one bulk operation in flight at once: each waits on the table's round trip, so
 * one at a time leaves the caller idle (55,000 cases opened 25 by 25 took 19 s on the local
 * stand-in, ~2,200 sequential round trips; against DynamoDB each is ~10 ms more). What a call
 * leaves unprocessed (throttling) is retried by that call, with backoff.
 */
const BATCH_CALLS_IN_FLIGHT = 8;

/** `items` in chunks of `size`, `work` run on up to {@link BATCH_CALLS_IN_FLIGHT} chunks at once. */
const eachChunk = <T>(items: readonly T[], size: number, work: (chunk: T[]) => Promise<void>) => {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return inBatches(chunks, BATCH_CALLS_IN_FLIGHT, work);
};

const strip = <T>({ pk: _pk, sk: _sk, itemType: _t, ...rest }: Record<string, unknown>) => rest as T;

/** A case as the table stores it: under its month, sorted by town and case id. */
const caseItem = (record: CaseRecord) => ({
  pk: monthKey(record.month),
  sk: caseKey(record.town, record.caseId),
  itemType: 'CASE',
  ...record,
});

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
          Item: caseItem(record),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      rethrowStorageError(error, `opening case ${record.caseId}`);
    }
  }

  /**
   * Puts the cases not there yet. What is there is listed only where `records` could be: under the
   * keys of their towns and of their kinds of case id (`F-` findings, `V-` visits), so opening a
   * month's visits does not read its finding cases.
   */
  async openAll(month: string, records: readonly CaseRecord[]): Promise<Set<string>> {
    const prefixes = new Set(records.map((r) => caseKey(r.town, caseIdKind(r.caseId))));
    const existing = new Set<string>();
    for (const prefix of prefixes) {
      const there = await queryAll(
        this.client,
        {
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': monthKey(month), ':prefix': prefix },
          ProjectionExpression: 'sk',
          ConsistentRead: true,
        },
        `listing the cases of ${month}`,
      );
      for (const item of there) existing.add(String(item.sk));
    }
    const fresh = new Map<string, CaseRecord>();
    for (const record of records) {
      const sk = caseKey(record.town, record.caseId);
      if (!existing.has(sk) && !fresh.has(sk)) fresh.set(sk, record);
    }
    await this.putAll(
      [...fresh.values()].map((record) => caseItem(record)),
      `opening cases of ${month}`,
    );
    return new Set([...fresh.values()].map((r) => r.caseId));
  }

  /**
   * Puts `items` (unconditionally) with BatchWriteItem, 25 to a call; what a call leaves
   * unprocessed (throttling) is sent again, with backoff.
   */
  private async putAll(items: readonly Record<string, unknown>[], what: string): Promise<void> {
    const requests = items.map((Item) => ({ PutRequest: { Item } }));
    await eachChunk(requests, 25, async (chunk) => {
      let pending: Record<string, unknown>[] = chunk;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 8) throw new Error(`${what}: ${pending.length} writes left unprocessed`);
        try {
          const out = await this.client.send(
            new BatchWriteCommand({ RequestItems: { [this.table]: pending as never } }),
          );
          pending = (out.UnprocessedItems?.[this.table] ?? []) as Record<string, unknown>[];
        } catch (error) {
          rethrowStorageError(error, what);
        }
        if (pending.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    });
  }

  async clearances(
    keys: readonly { code: string; idNumber: string; category: string; fingerprint: string }[],
  ): Promise<Map<string, Clearance>> {
    const found = new Map<string, Clearance>();
    const unique = new Map(
      keys.map((k) => [
        clearanceKey(k),
        { pk: clearedKey(k.code, k.idNumber, k.category), sk: evidenceKey(k.fingerprint) },
      ]),
    );
    const all = [...unique.values()];
    // BatchGetItem takes 100 keys; what it leaves unprocessed is asked again.
    await eachChunk(all, 100, async (chunk) => {
      let pending: Record<string, unknown>[] = chunk;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 8) throw new Error(`reading clearances: ${pending.length} keys left unprocessed`);
        try {
          const out = await this.client.send(
            new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending, ConsistentRead: true } } }),
          );
          for (const item of out.Responses?.[this.table] ?? []) {
            const clearance = strip<Clearance>(item);
            found.set(clearanceKey({ ...clearance, fingerprint: clearance.evidenceFingerprint }), clearance);
          }
          pending = (out.UnprocessedKeys?.[this.table]?.Keys ?? []) as Record<string, unknown>[];
        } catch (error) {
          rethrowStorageError(error, 'reading clearances');
        }
        if (pending.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    });
    return found;
  }

  async save(record: CaseRecord, expectedVersion: number): Promise<CaseSaveResult> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: caseItem(record),
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
    const items = await this.queryMonthCases(month, {});
    return items.map((item) => strip<CaseRecord>(item));
  }

  /**
   * The month's cases with only {@link CASE_LINE_FIELDS} (a projection): the items come back about
   * half their size, so the month page's listing moves and parses that much less (70,000 cases
   * from the DynamoDB stand-in: 3.0–3.2 s → 1.8–1.9 s). DynamoDB still reads, and charges, whole items.
   */
  async listMonthLines(month: string): Promise<CaseLine[]> {
    return (await this.queryMonthCases(month, LINE_PROJECTION)) as CaseLine[];
  }

  private queryMonthCases(
    month: string,
    projection: { ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> },
  ): Promise<Record<string, unknown>[]> {
    return queryAll(
      this.client,
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :town)',
        FilterExpression: 'itemType = :case',
        ExpressionAttributeValues: { ':pk': monthKey(month), ':town': 'TOWN#', ':case': 'CASE' },
        ConsistentRead: true,
        ...projection,
      },
      `listing the cases of ${month}`,
    );
  }

  async putReplacements(replacements: readonly PendingReplacement[]): Promise<void> {
    // One item per key: a replacement given twice is written once, the last one winning
    // (BatchWriteItem refuses two writes of one key in a call).
    const items = new Map<string, Record<string, unknown>>();
    for (const replacement of replacements) {
      const pk = monthKey(replacement.month);
      const sk = replacementKey(replacement.town, replacement.rank);
      items.set(`${pk} ${sk}`, { pk, sk, itemType: 'REPLACEMENT', ...replacement });
    }
    await this.putAll([...items.values()], `keeping ${items.size} replacement households`);
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
