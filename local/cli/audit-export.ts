import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditEntry } from '#usecases/ports.ts';

/** File name of a local run's audit trail in OUT (one JSON entry per line, oldest first). */
export const AUDIT_EXPORT = 'audit.jsonl';

/** Copies the month's audit trail from the (local) audit table to `OUT/audit.jsonl`. */
export async function writeAuditExport(month: string, outDir: string): Promise<string> {
  const { documentClient } = await import('#adapters/clients.ts');
  const { DynamoAuditTrail } = await import('#adapters/dynamo-audit-trail.ts');
  const entries = await new DynamoAuditTrail(documentClient(), process.env.AUDIT_TABLE_NAME ?? '').list(
    month,
  );
  const path = join(outDir, AUDIT_EXPORT);
  await writeFile(path, entries.map((e) => JSON.stringify(e)).join('\n') + (entries.length ? '\n' : ''));
  return path;
}

/** Reads an exported trail back. */
export async function readAuditExport(outDir: string): Promise<AuditEntry[]> {
  const text = await readFile(join(outDir, AUDIT_EXPORT), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AuditEntry);
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
