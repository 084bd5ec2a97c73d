import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '#schemas/case.ts';
import { importCaseOutcomesWorkbook } from '#usecases/case-workbook.ts';
import type { CaseStore } from '#usecases/ports.ts';
import { bulkCase, bulkOutcome, fillCaseWorkbook } from '../../../../bench/case-workbook-filler.ts';
import { MemoryAuditTrail } from '../../../../bench/memory-audit-trail.ts';
import { MemoryCaseStore } from './memory-case-store.ts';

const MONTH = '2026-09';
const TOWN = 'xiaolan';

/** The memory store with what the desk's import reads, and storage that fails on one case's save. */
class FailingCaseStore extends MemoryCaseStore {
  constructor(private readonly failOn: string) {
    super();
  }
  async listTown(month: string, town: string): Promise<CaseRecord[]> {
    return (await this.listMonth(month)).filter((c) => c.town === town);
  }
  async get(_month: string, town: string, caseId: string): Promise<CaseRecord | undefined> {
    const c = this.cases.get(caseId);
    return c?.town === town ? structuredClone(c) : undefined;
  }
  async putClearance(): Promise<void> {}
  override async save(record: CaseRecord, expectedVersion: number) {
    if (record.caseId === this.failOn) throw new Error('storage unavailable');
    return super.save(record, expectedVersion);
  }
}

describe('importCaseOutcomesWorkbook when storage fails part way', () => {
  it('still chains the decisions already saved, then fails', async () => {
    // Prepare
    const records = Array.from({ length: 200 }, (_, n) => bulkCase(MONTH, TOWN, n + 1));
    const failOn = records[120]?.caseId ?? '';
    const cases = new FailingCaseStore(failOn);
    await cases.openAll(MONTH, records);
    const store = cases as unknown as CaseStore;
    const byId = new Map(records.map((r) => [r.caseId, r]));
    const { bytes } = await fillCaseWorkbook({ month: MONTH, town: TOWN }, { cases: store }, (id) =>
      bulkOutcome(byId.get(id) as CaseRecord),
    );
    const audit = new MemoryAuditTrail();

    // Act
    const run = importCaseOutcomesWorkbook(
      { month: MONTH, town: TOWN, officer: 'chen', bytes },
      { cases: store, audit, now: () => '2026-10-05T08:00:00.000Z' },
    );

    // Assess: the error surfaces; every case saved is in the trail, nothing else
    await expect(run).rejects.toThrow('storage unavailable');
    const saved = [...cases.cases.values()].filter((c) => c.version === 2).map((c) => c.caseId);
    expect(saved.length).toBeGreaterThan(100);
    expect(saved).not.toContain(failOn);
    const decisions = (await audit.list(MONTH))
      .filter((e) => e.action === 'CASE_OUTCOMES_APPLIED')
      .flatMap((e) => e.details.decisions as { caseId: string }[]);
    expect(decisions.map((d) => d.caseId).sort()).toEqual(saved.sort());
  });
});
