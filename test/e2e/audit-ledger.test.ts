import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoAuditLedger } from '#adapters/dynamo-audit-ledger.ts';
import type { LocalStack } from '#local/stand-ins/local-stack.ts';
import { startLocalStack } from '#local/stand-ins/local-stack.ts';
import { ChainedAuditTrail, chainAuditEntry, verifyAuditChain } from '#usecases/audit-chain.ts';
import type { AuditEntry } from '#usecases/ports.ts';

let stack: LocalStack;
let ledger: DynamoAuditLedger;

const entry = (month: string, n: number): AuditEntry => ({
  month,
  action: 'FILE_ACCEPTED',
  actor: 'payguard:ingest',
  at: new Date(Date.UTC(2026, 10, 2, 8, 0, n)).toISOString(),
  contentSha256: 'ab'.repeat(32),
  subject: `incoming/${month}/town${n}/roster.csv`,
  // Values whose form DynamoDB could change on the way back: the hash must still match.
  details: {
    validRows: n,
    amountYuan: 1180.1,
    share: 1 / 3,
    big: 2 ** 52 + n,
    empty: '',
    nothing: null,
    skipped: undefined,
    flags: [true, false],
    names: ['石岐', 'Zoë', '🙂'],
    nested: { b: [], a: {} },
  },
});

beforeAll(async () => {
  stack = await startLocalStack();
  const { documentClient } = await import('#adapters/clients.ts');
  const { DynamoAuditLedger } = await import('#adapters/dynamo-audit-ledger.ts');
  ledger = new DynamoAuditLedger(documentClient(), stack.auditTable);
});

afterAll(async () => {
  await stack?.stop();
});

describe('DynamoAuditLedger under ChainedAuditTrail', () => {
  it('chains concurrent appends of one month into one gapless, verifiable order', async () => {
    // Prepare
    const trail = new ChainedAuditTrail(ledger);

    // Act
    await Promise.all(Array.from({ length: 40 }, (_, i) => trail.append(entry('2026-10', i + 1))));

    // Assess
    const stored = await ledger.list('2026-10');
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(new Set(stored.map((e) => e.subject)).size).toBe(40);
    const report = verifyAuditChain(stored);
    expect(report.broken).toBeUndefined();
    expect(report.entries).toBe(40);
    expect(await ledger.head('2026-10')).toEqual({ seq: 40, sha256: stored.at(-1)?.sha256 });
  });

  it('keeps months apart: each starts its own chain', async () => {
    // Prepare
    const trail = new ChainedAuditTrail(ledger);

    // Act
    await trail.append(entry('2026-09', 1));

    // Assess
    expect(await ledger.list('2026-09')).toEqual([expect.objectContaining({ seq: 1 })]);
    expect(await ledger.head('2026-08')).toBeUndefined();
  });

  it('refuses a second entry at a place already taken', async () => {
    // Prepare
    const head = await ledger.head('2026-10');
    const first = chainAuditEntry(entry('2026-10', 50), head);
    const rival = chainAuditEntry(entry('2026-10', 51), head);

    // Act
    const added = [await ledger.add(first), await ledger.add(rival)];

    // Assess
    expect(added).toEqual([true, false]);
    expect((await ledger.list('2026-10')).at(-1)).toEqual(first);
  });
});
