import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { TransientStorageError } from './errors.ts';
import type { AuditChainHead, AuditEntry, AuditLedger, AuditTrail, ChainedAuditEntry } from './ports.ts';

/** `prevSha256` of a month's first entry. */
export const GENESIS_SHA256 = '0'.repeat(64);

/**
 * SHA-256 (hex) of the entry's canonical JSON (RFC 8785: keys sorted, no white space, numbers in
 * their shortest form), leaving out the entry's own `sha256`: the hash covers `seq` and
 * `prevSha256`, so an entry cannot be moved, dropped or changed without breaking the chain.
 */
export function auditEntrySha256(entry: Omit<ChainedAuditEntry, 'sha256'>): string {
  const { sha256: _own, ...hashed } = entry as ChainedAuditEntry;
  return createHash('sha256')
    .update(canonicalize(hashed) ?? '', 'utf8')
    .digest('hex');
}

/**
 * `entry` as the month's next entry after `head` (its first when there is none). The entry goes
 * through JSON first, so what is hashed is exactly what storage and the export give back
 * (`undefined` values dropped, dates as strings).
 */
export function chainAuditEntry(entry: AuditEntry, head: AuditChainHead | undefined): ChainedAuditEntry {
  const plain = JSON.parse(JSON.stringify(entry)) as AuditEntry;
  const linked = { ...plain, seq: (head?.seq ?? 0) + 1, prevSha256: head?.sha256 ?? GENESIS_SHA256 };
  return { ...linked, sha256: auditEntrySha256(linked) };
}

/** How often an append re-reads the head after another writer took its place. */
const APPEND_ATTEMPTS = 50;

/** Full-jitter backoff between attempts, capped at 200 ms. */
const jitteredPause = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));

/**
 * The audit trail as a hash chain per month over an {@link AuditLedger}. Entries of one month come
 * from many functions at once (23 towns' ingests, the approval desk): each append reads the head,
 * chains the entry to it and writes it at `seq + 1` with a conditional write; when another writer
 * took that place first, it reads the new head and tries again. The chain is thereby one total
 * order without a lock or a transaction (which the local DynamoDB does not have).
 */
export class ChainedAuditTrail implements AuditTrail {
  constructor(
    private readonly ledger: AuditLedger,
    private readonly pause: (attempt: number) => Promise<void> = jitteredPause,
  ) {}

  /** @throws TransientStorageError when other writers kept taking the next place (the workflow retries). */
  async append(entry: AuditEntry): Promise<void> {
    for (let attempt = 1; attempt <= APPEND_ATTEMPTS; attempt++) {
      const linked = chainAuditEntry(entry, await this.ledger.head(entry.month));
      if (await this.ledger.add(linked)) return;
      if (attempt < APPEND_ATTEMPTS) await this.pause(attempt);
    }
    throw new TransientStorageError(
      `appending audit entry ${entry.action} of ${entry.month}: other writers took the next place ${APPEND_ATTEMPTS} times`,
    );
  }

  list(month: string): Promise<ChainedAuditEntry[]> {
    return this.ledger.list(month);
  }
}

/** The first entry that does not hold (`index` into the entries given). */
export interface AuditChainBreak {
  readonly index: number;
  readonly seq?: number;
  readonly action?: string;
  readonly at?: string;
  /** What is wrong, in words. */
  readonly problem: string;
}

/** What {@link verifyAuditChain} found: the entries checked, each month's last entry, and the first break. */
export interface AuditChainReport {
  readonly entries: number;
  readonly heads: Readonly<Record<string, AuditChainHead>>;
  readonly broken?: AuditChainBreak;
}

const HEX64 = /^[0-9a-f]{64}$/;

function asChained(value: unknown): ChainedAuditEntry | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const e = value as Partial<ChainedAuditEntry>;
  const ok =
    typeof e.month === 'string' &&
    Number.isSafeInteger(e.seq) &&
    typeof e.prevSha256 === 'string' &&
    typeof e.sha256 === 'string' &&
    HEX64.test(e.sha256);
  return ok ? (value as ChainedAuditEntry) : undefined;
}

function breakAt(index: number, entry: Partial<ChainedAuditEntry>, problem: string): AuditChainBreak {
  return {
    index,
    ...(typeof entry.seq === 'number' ? { seq: entry.seq } : {}),
    ...(typeof entry.action === 'string' ? { action: entry.action } : {}),
    ...(typeof entry.at === 'string' ? { at: entry.at } : {}),
    problem,
  };
}

/**
 * Checks audit entries in the order given (each month's chain on its own): every entry's
 * `sha256` recomputed from its content, its `seq` the one after its month's previous entry and
 * its `prevSha256` that entry's `sha256`. Stops at the first entry that does not hold. A chain
 * proves order and content, not completeness at its end: entries cut off after the last one left
 * are seen only by comparing the head with the table's (`heads`).
 */
export function verifyAuditChain(entries: readonly unknown[]): AuditChainReport {
  const heads: Record<string, AuditChainHead> = {};
  for (const [index, value] of entries.entries()) {
    const entry = asChained(value);
    if (!entry) {
      const partial = (
        typeof value === 'object' && value !== null ? value : {}
      ) as Partial<ChainedAuditEntry>;
      return {
        entries: index,
        heads,
        broken: breakAt(index, partial, 'is not a chained audit entry (month, seq, prevSha256, sha256)'),
      };
    }
    const head = heads[entry.month];
    const expected = (head?.seq ?? 0) + 1;
    let problem: string | undefined;
    if (entry.seq > expected) {
      const gap =
        entry.seq === expected + 1 ? `entry ${expected} is` : `entries ${expected}–${entry.seq - 1} are`;
      problem = `${gap} missing before it`;
    } else if (entry.seq < expected) {
      problem = `its seq ${entry.seq} comes after ${expected - 1}: entries repeated or out of order`;
    } else if (auditEntrySha256(entry) !== entry.sha256) {
      problem = 'its content does not match its sha256: it was changed after it was written';
    } else if (entry.prevSha256 !== (head?.sha256 ?? GENESIS_SHA256)) {
      problem =
        expected === 1
          ? `its prevSha256 is not ${GENESIS_SHA256.slice(0, 12)}… (a month's first entry)`
          : `its prevSha256 is not the sha256 of entry ${expected - 1}: that entry was replaced`;
    }
    if (problem) return { entries: index, heads, broken: breakAt(index, entry, problem) };
    heads[entry.month] = { seq: entry.seq, sha256: entry.sha256 };
  }
  return { entries: entries.length, heads };
}
