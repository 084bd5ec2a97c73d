import type { AuditEntry, AuditTrail } from '#usecases/ports.ts';

/** An AuditTrail in memory for the month-check bench: entries are kept in order of append. */
export class MemoryAuditTrail implements AuditTrail {
  readonly entries: AuditEntry[] = [];

  async append(entry: AuditEntry): Promise<void> {
    this.entries.push(entry);
  }

  async list(month: string): Promise<AuditEntry[]> {
    return this.entries.filter((e) => e.month === month);
  }
}
