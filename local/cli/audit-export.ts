import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AuditChainReport, verifyAuditChain } from '#usecases/audit-chain.ts';
import type { AuditEntry } from '#usecases/ports.ts';

/** File name of a local run's audit trail in OUT (one JSON entry per line, in chain order). */
export const AUDIT_EXPORT = 'audit.jsonl';

/**
 * Copies the month's audit trail from the (local) audit table to `OUT/audit.jsonl`, chain fields
 * (`seq`, `prevSha256`, `sha256`) included, so that `audit --verify` can check it offline.
 */
export async function writeAuditExport(month: string, outDir: string): Promise<string> {
  const { documentClient } = await import('#adapters/clients.ts');
  const { DynamoAuditLedger } = await import('#adapters/dynamo-audit-ledger.ts');
  const entries = await new DynamoAuditLedger(documentClient(), process.env.AUDIT_TABLE_NAME ?? '').list(
    month,
  );
  const path = join(outDir, AUDIT_EXPORT);
  await writeFile(path, entries.map((e) => JSON.stringify(e)).join('\n') + (entries.length ? '\n' : ''));
  return path;
}

/** The non-blank lines of an exported trail, with their 1-based line numbers. */
async function exportLines(outDir: string): Promise<{ line: number; text: string }[]> {
  const text = await readFile(join(outDir, AUDIT_EXPORT), 'utf8');
  return text
    .split('\n')
    .map((line, i) => ({ line: i + 1, text: line }))
    .filter(({ text }) => text.trim() !== '');
}

/** Reads an exported trail back. */
export async function readAuditExport(outDir: string): Promise<AuditEntry[]> {
  return (await exportLines(outDir)).map(({ text }) => JSON.parse(text) as AuditEntry);
}

/** What `audit --verify` found, with the line of the first broken entry. */
export interface AuditExportVerdict extends AuditChainReport {
  /** 1-based line of `audit.jsonl` holding the first broken entry. */
  readonly brokenLine?: number;
}

/**
 * Checks the hash chain of an exported trail (`verifyAuditChain`); a line that is not JSON is
 * a broken entry like any other.
 */
export async function verifyAuditExport(outDir: string): Promise<AuditExportVerdict> {
  const lines = await exportLines(outDir);
  const values = lines.map(({ text }) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  });
  const report = verifyAuditChain(values);
  return report.broken ? { ...report, brokenLine: lines[report.broken.index]?.line } : report;
}

/** One line for a terminal saying what `verifyAuditExport` found. */
export function describeAuditVerdict(verdict: AuditExportVerdict): string {
  const { broken } = verdict;
  if (broken) {
    const what = [
      broken.seq === undefined ? undefined : `entry ${broken.seq}`,
      broken.action,
      broken.at === undefined ? undefined : `at ${broken.at}`,
    ]
      .filter((part) => part !== undefined)
      .join(' ');
    return `audit chain broken at line ${verdict.brokenLine ?? broken.index + 1}${what ? ` (${what})` : ''}: ${broken.problem}`;
  }
  const heads = Object.entries(verdict.heads).map(
    ([month, head]) => `${month} ends at entry ${head.seq} sha256:${head.sha256}`,
  );
  return `audit chain intact: ${verdict.entries} entries; ${heads.join('; ') || 'no entries'}`;
}

/** One audit entry per line for a terminal: time, action, actor, subject, hash, key details. */
export function formatAuditEntries(entries: readonly AuditEntry[]): string[] {
  const sorted = [...entries].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return sorted.map((e) => {
    const details = Object.entries(e.details)
      .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ');
    const hash = e.contentSha256 ? ` sha256:${e.contentSha256.slice(0, 12)}` : '';
    return `${e.at}  ${e.action.padEnd(22)} ${e.actor.padEnd(28)} ${e.subject}${hash}${details ? `  ${details}` : ''}`;
  });
}
