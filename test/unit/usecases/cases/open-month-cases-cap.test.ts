import { describe, expect, it } from 'vitest';
import { findingsToArrow } from '#formats/findings-arrow.ts';
import type { CaseRecord } from '#schemas/case.ts';
import type { Finding } from '#schemas/finding.ts';
import { MAX_FINDING_CASES_PER_TOWN, openMonthCases } from '#usecases/open-month-cases.ts';
import type { AuditEntry, AuditTrail, CaseStore } from '#usecases/ports.ts';
import { MemoryObjectStore } from '../dataset/memory-object-store.ts';

const MONTH = '2026-11';
const KEY = `reports/${MONTH}/findings.arrow`;

/** A town's BLOCK finding of row `row`, with an ID of its own. */
const notInRegistry = (batch: string, row: number): Finding => ({
  month: MONTH,
  batch,
  row,
  idNumber: `4420001990${String(row).padStart(8, '0')}`,
  category: 'DIBAO',
  code: 'NOT_IN_REGISTRY',
  severity: 'BLOCK',
  detail: 'not in the registry',
});

/** The case table as far as opening cases uses it: what is opened is kept. */
function openedCases(): { store: CaseStore; opened: CaseRecord[] } {
  const opened: CaseRecord[] = [];
  const store = {
    async listMonth() {
      return [];
    },
    async openAll(_month: string, records: readonly CaseRecord[]) {
      opened.push(...records);
      return new Set(records.map((r) => r.caseId));
    },
    async clearances() {
      return new Map();
    },
  } as Partial<CaseStore> as CaseStore;
  return { store, opened };
}

function auditTrail(): AuditTrail & { entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return {
    entries,
    async append(entry) {
      entries.push(entry);
    },
    async list() {
      return entries;
    },
  };
}

describe('OpenMonthCases: a town with more findings than a desk can work', () => {
  it('opens the first cases of each town up to the cap and counts the rest per town in the audit trail', async () => {
    // Prepare
    const big = Array.from({ length: MAX_FINDING_CASES_PER_TOWN + 5 }, (_, i) =>
      notInRegistry('bomb', i + 1),
    );
    const small = [1, 2, 3].map((row) => notInRegistry('shiqi', row));
    const store = new MemoryObjectStore(1 << 20).set(KEY, findingsToArrow([...big, ...small]));
    const cases = openedCases();
    const audit = auditTrail();

    // Act
    const result = await openMonthCases(
      { month: MONTH, bucket: 'b', runId: 'r1', findingsArrowKey: KEY },
      { store, cases: cases.store, audit, now: () => '2026-12-05T00:00:00.000Z' },
    );

    // Assess
    expect(result).toMatchObject({ opened: MAX_FINDING_CASES_PER_TOWN + 3, beyondCap: { bomb: 5 } });
    expect(cases.opened.filter((c) => c.town === 'shiqi')).toHaveLength(3);
    const bombRows = cases.opened.filter((c) => c.town === 'bomb').map((c) => c.row);
    expect(bombRows).toEqual(Array.from({ length: MAX_FINDING_CASES_PER_TOWN }, (_, i) => i + 1));
    expect(audit.entries[0]?.details).toMatchObject({ beyondCap: { bomb: 5 } });
  });

  it('leaves out nothing when every town is under the cap', async () => {
    // Prepare
    const store = new MemoryObjectStore(1 << 20).set(KEY, findingsToArrow([notInRegistry('shiqi', 1)]));
    const cases = openedCases();

    // Act
    const result = await openMonthCases(
      { month: MONTH, bucket: 'b', runId: 'r1', findingsArrowKey: KEY },
      { store, cases: cases.store, audit: auditTrail(), now: () => '2026-12-05T00:00:00.000Z' },
    );

    // Assess
    expect(result).toEqual({ month: MONTH, opened: 1, cleared: 0, existing: 0, withdrawn: 0, reopened: 0 });
  });
});
