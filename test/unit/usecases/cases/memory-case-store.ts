import type { CaseLine, CaseRecord, CaseSaveResult, CaseStore, Clearance } from '#usecases/ports.ts';
import { caseLineOf } from '../../../support/case-line.ts';

/**
 * The case table as opening a month's cases uses it, in memory, with the table's rules: a case is
 * opened once, and saved only over the version it was read at.
 */
export class MemoryCaseStore implements Partial<CaseStore> {
  readonly cases = new Map<string, CaseRecord>();
  /** Runs before each save is decided: a test's officer can save first here. */
  beforeSave: (record: CaseRecord) => void = () => undefined;

  async listMonth(month: string): Promise<CaseRecord[]> {
    return [...this.cases.values()].filter((c) => c.month === month).map((c) => structuredClone(c));
  }

  /** As the table's projection gives them: {@link CASE_LINE_FIELDS} only, absent ones left out. */
  async listMonthLines(month: string): Promise<CaseLine[]> {
    return (await this.listMonth(month)).map(caseLineOf);
  }

  async openAll(_month: string, records: readonly CaseRecord[]): Promise<Set<string>> {
    const stored = new Set<string>();
    for (const record of records) {
      if (this.cases.has(record.caseId)) continue;
      this.cases.set(record.caseId, structuredClone(record));
      stored.add(record.caseId);
    }
    return stored;
  }

  async save(record: CaseRecord, expectedVersion: number): Promise<CaseSaveResult> {
    this.beforeSave(record);
    const there = this.cases.get(record.caseId);
    if (there === undefined || there.version !== expectedVersion) return 'CONFLICT';
    this.cases.set(record.caseId, structuredClone(record));
    return 'SAVED';
  }

  async clearances(): Promise<Map<string, Clearance>> {
    return new Map<string, Clearance>();
  }

  /** As the use cases take it. */
  asStore(): CaseStore {
    return this as Partial<CaseStore> as CaseStore;
  }
}
