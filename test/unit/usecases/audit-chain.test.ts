import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  auditEntrySha256,
  ChainedAuditTrail,
  chainAuditEntry,
  GENESIS_SHA256,
  verifyAuditChain,
} from '#usecases/audit-chain.ts';
import { TransientStorageError } from '#usecases/errors.ts';
import type { AuditChainHead, AuditEntry, AuditLedger, ChainedAuditEntry } from '#usecases/ports.ts';

const MONTH = '2026-10';

const entry = (n: number, overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  month: MONTH,
  action: n % 2 ? 'FILE_ACCEPTED' : 'FILE_REJECTED',
  actor: 'payguard:ingest',
  at: `2026-11-02T08:00:${String(n % 60).padStart(2, '0')}.000Z`,
  contentSha256: createHash('sha256').update(String(n)).digest('hex'),
  subject: `incoming/${MONTH}/town${n}/roster.csv`,
  details: {
    validRows: n,
    amountYuan: 1180.5,
    towns: ['shiqi', '石岐'],
    note: null,
    nested: { z: 1, a: [] },
  },
  ...overrides,
});

/** A month's chain of `count` entries, linked as the trail links them. */
function chainOf(entries: readonly AuditEntry[]): ChainedAuditEntry[] {
  const heads = new Map<string, AuditChainHead>();
  return entries.map((e) => {
    const linked = chainAuditEntry(e, heads.get(e.month));
    heads.set(e.month, linked);
    return linked;
  });
}

/**
 * A ledger in memory whose every call yields to the event loop first, so that concurrent
 * appends read the same head and collide as they do against DynamoDB.
 */
class YieldingLedger implements AuditLedger {
  readonly items = new Map<string, ChainedAuditEntry>();
  conflicts = 0;
  constructor(private readonly refuseAll = false) {}

  private readonly yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

  async head(month: string): Promise<AuditChainHead | undefined> {
    await this.yieldNow();
    const seqs = [...this.items.values()].filter((e) => e.month === month).map((e) => e.seq);
    const last = [...this.items.values()].find((e) => e.month === month && e.seq === Math.max(...seqs));
    return last && { seq: last.seq, sha256: last.sha256 };
  }

  async add(linked: ChainedAuditEntry): Promise<boolean> {
    await this.yieldNow();
    const key = `${linked.month}#${linked.seq}`;
    if (this.refuseAll || this.items.has(key)) {
      this.conflicts++;
      return false;
    }
    this.items.set(key, linked);
    return true;
  }

  async list(month: string): Promise<ChainedAuditEntry[]> {
    return [...this.items.values()].filter((e) => e.month === month).sort((a, b) => a.seq - b.seq);
  }
}

describe('chainAuditEntry', () => {
  it('starts a month at seq 1 after 64 zeros, and links each entry to the one before', () => {
    // Act
    const [first, second] = chainOf([entry(1), entry(2)]);

    // Assess
    expect(first).toMatchObject({ seq: 1, prevSha256: GENESIS_SHA256 });
    expect(second).toMatchObject({ seq: 2, prevSha256: first?.sha256 });
  });

  it('hashes the canonical JSON (RFC 8785) of the entry without its own hash', () => {
    // Prepare
    const small: AuditEntry = {
      month: MONTH,
      action: 'X',
      actor: 'a',
      at: 't',
      subject: 's',
      details: { b: 1, a: 'é' },
    };

    // Act
    const linked = chainAuditEntry(small, { seq: 4, sha256: 'f'.repeat(64) });

    // Assess
    const canonical = `{"action":"X","actor":"a","at":"t","details":{"a":"é","b":1},"month":"${MONTH}","prevSha256":"${'f'.repeat(64)}","seq":5,"subject":"s"}`;
    expect(linked.sha256).toBe(createHash('sha256').update(canonical, 'utf8').digest('hex'));
  });

  it('hashes what storage gives back: undefined values are left out, key order does not matter', () => {
    // Prepare
    const a = chainAuditEntry({ ...entry(3), contentSha256: undefined }, undefined);
    const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(a).reverse())));

    // Act
    const again = auditEntrySha256(reordered);

    // Assess
    expect('contentSha256' in a).toBe(false);
    expect(again).toBe(a.sha256);
  });
});

describe('verifyAuditChain', () => {
  it('accepts an intact chain and gives each month its last entry', () => {
    // Prepare
    const chain = chainOf([
      entry(1),
      entry(2, { month: '2026-11' }),
      entry(3),
      entry(4, { month: '2026-11' }),
    ]);

    // Act
    const report = verifyAuditChain(chain);

    // Assess
    expect(report.broken).toBeUndefined();
    expect(report.entries).toBe(4);
    expect(report.heads).toEqual({
      [MONTH]: { seq: 2, sha256: chain[2]?.sha256 },
      '2026-11': { seq: 2, sha256: chain[3]?.sha256 },
    });
  });

  it('names an entry whose content was changed', () => {
    // Prepare
    const chain = chainOf([1, 2, 3, 4].map((n) => entry(n)));
    const edited = chain.map((e) => (e.seq === 3 ? { ...e, details: { ...e.details, validRows: 999 } } : e));

    // Act
    const { broken } = verifyAuditChain(edited);

    // Assess
    expect(broken).toEqual({
      index: 2,
      seq: 3,
      action: 'FILE_ACCEPTED',
      at: entry(3).at,
      problem: 'its content does not match its sha256: it was changed after it was written',
    });
  });

  it('names the entry after a deleted one, saying which is missing', () => {
    // Prepare
    const chain = chainOf([1, 2, 3, 4, 5].map((n) => entry(n)));

    // Act
    const one = verifyAuditChain(chain.filter((e) => e.seq !== 2)).broken;
    const two = verifyAuditChain(chain.filter((e) => e.seq !== 2 && e.seq !== 3)).broken;

    // Assess
    expect(one).toMatchObject({ index: 1, seq: 3, problem: 'entry 2 is missing before it' });
    expect(two).toMatchObject({ index: 1, seq: 4, problem: 'entries 2–3 are missing before it' });
  });

  it('names the entry after one replaced with a consistent hash of its own', () => {
    // Prepare
    const chain = chainOf([1, 2, 3].map((n) => entry(n)));
    const forged = chainAuditEntry({ ...entry(2), actor: 'someone else' }, chain[0]);

    // Act
    const { broken } = verifyAuditChain([chain[0], forged, chain[2]]);

    // Assess
    expect(broken).toMatchObject({
      index: 2,
      seq: 3,
      problem: 'its prevSha256 is not the sha256 of entry 2: that entry was replaced',
    });
  });

  it('names swapped and repeated entries, and lines that are no chained entry', () => {
    // Prepare
    const chain = chainOf([1, 2, 3].map((n) => entry(n)));

    // Act
    const swapped = verifyAuditChain([chain[0], chain[2], chain[1]]).broken;
    const repeated = verifyAuditChain([chain[0], chain[1], chain[1], chain[2]]).broken;
    const junk = verifyAuditChain([chain[0], undefined, chain[1]]).broken;
    const unchained = verifyAuditChain([chain[0], entry(2)]).broken;

    // Assess
    expect(swapped).toMatchObject({ index: 1, problem: 'entry 2 is missing before it' });
    expect(repeated).toMatchObject({
      index: 2,
      problem: 'its seq 2 comes after 2: entries repeated or out of order',
    });
    expect(junk).toMatchObject({ index: 1, problem: expect.stringContaining('not a chained audit entry') });
    expect(unchained).toMatchObject({ index: 1, action: 'FILE_REJECTED' });
  });

  it('finds any single change to any field of any entry, at that entry or the next', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.nat(),
        fc.constantFrom<keyof ChainedAuditEntry>(
          'month',
          'action',
          'actor',
          'at',
          'contentSha256',
          'subject',
          'details',
          'seq',
          'prevSha256',
          'sha256',
        ),
        fc.oneof(fc.string(), fc.integer(), fc.dictionary(fc.string(), fc.string())),
        (count, pick, field, value) => {
          // Prepare
          const chain = chainOf(Array.from({ length: count }, (_, i) => entry(i + 1)));
          const index = pick % count;
          const original = chain[index] as ChainedAuditEntry;
          fc.pre(JSON.stringify(original[field]) !== JSON.stringify(value));
          const changed = [...chain];
          changed[index] = { ...original, [field]: value };

          // Act
          const { broken } = verifyAuditChain(changed);

          // Assess
          expect(broken?.index).toBe(index);
        },
      ),
    );
  });
});

describe('ChainedAuditTrail', () => {
  it('keeps one gapless chain while many writers append to the same month at once', async () => {
    // Prepare
    const ledger = new YieldingLedger();
    const trail = new ChainedAuditTrail(ledger, () => Promise.resolve());

    // Act
    await Promise.all(Array.from({ length: 23 }, (_, i) => trail.append(entry(i + 1))));

    // Assess
    const stored = await trail.list(MONTH);
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    expect(new Set(stored.map((e) => e.subject)).size).toBe(23);
    expect(verifyAuditChain(stored).broken).toBeUndefined();
    expect(ledger.conflicts).toBeGreaterThan(0);
  });

  it('gives up with a retryable error when other writers keep taking the next place', async () => {
    // Prepare
    const ledger = new YieldingLedger(true);
    const pauses: number[] = [];
    const trail = new ChainedAuditTrail(ledger, async (attempt) => {
      pauses.push(attempt);
    });

    // Act
    const act = trail.append(entry(1));

    // Assess
    await expect(act).rejects.toBeInstanceOf(TransientStorageError);
    expect(ledger.conflicts).toBe(50);
    expect(pauses).toHaveLength(49);
  });
});
