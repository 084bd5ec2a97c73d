import { describe, expect, it } from 'vitest';
import { findingsToArrow } from '#formats/findings-arrow.ts';
import type { Finding } from '#schemas/finding.ts';
import { openMonthCases } from '#usecases/open-month-cases.ts';
import type { AuditEntry, AuditTrail } from '#usecases/ports.ts';
import { UNMASKED_ID_NUMBER } from '../../../support/unmasked-id-number.ts';
import { MemoryObjectStore } from '../dataset/memory-object-store.ts';
import { MemoryCaseStore } from './memory-case-store.ts';

const MONTH = '2026-11';
const KEY = `reports/${MONTH}/findings.arrow`;

/** sanjiao's recipient `n` flagged as paid nothing (its roster was rejected). */
const missing = (n: number): Finding => ({
  month: MONTH,
  batch: '',
  idNumber: `4420001990${String(n).padStart(8, '0')}`,
  category: 'DIBAO',
  code: 'MISSING_PAYMENT',
  severity: 'BLOCK',
  detail: 'registered recipient in town sanjiao, no valid roster row this month',
});

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

/** One month run's OpenMonthCases over `findings`. */
async function run(runId: string, findings: Finding[], cases: MemoryCaseStore, audit = auditTrail()) {
  const store = new MemoryObjectStore(1 << 20).set(KEY, findingsToArrow(findings));
  return openMonthCases(
    { month: MONTH, bucket: 'b', runId, findingsArrowKey: KEY },
    { store, cases: cases.asStore(), audit, now: () => `2026-12-05T00:00:0${runId.length % 10}.000Z` },
  );
}

describe('OpenMonthCases: a newer run of the month withdraws the cases it no longer finds', () => {
  it('closes the stale open cases as WITHDRAWN by the run and audits how many, without ID numbers', async () => {
    // Prepare: run 1 finds 1..5; run 2 (the corrected roster) finds only 4 and 5
    const cases = new MemoryCaseStore();
    await run('run-1', [1, 2, 3, 4, 5].map(missing), cases);
    const audit = auditTrail();

    // Act
    const result = await run('run-22', [4, 5].map(missing), cases, audit);

    // Assess
    expect(result).toMatchObject({ opened: 0, existing: 2, withdrawn: 3, reopened: 0 });
    const all = await cases.listMonth(MONTH);
    const withdrawn = all.filter((c) => c.outcome === 'WITHDRAWN');
    expect(withdrawn.map((c) => c.idNumber).sort()).toEqual([1, 2, 3].map((n) => missing(n).idNumber));
    for (const c of withdrawn) {
      expect(c).toMatchObject({ status: 'CLOSED', closedBy: 'month-run:run-22', version: 2 });
    }
    expect(all.filter((c) => c.status === 'OPEN')).toHaveLength(2);
    const entry = audit.entries.find((e) => e.action === 'CASES_WITHDRAWN');
    expect(entry?.details).toEqual({ runId: 'run-22', count: 3, perTown: { sanjiao: 3 } });
    expect(JSON.stringify(audit.entries)).not.toMatch(UNMASKED_ID_NUMBER);
  });

  it('is idempotent: the same run again withdraws nothing more and writes no second withdrawal', async () => {
    // Prepare
    const cases = new MemoryCaseStore();
    await run('run-1', [1, 2, 3].map(missing), cases);
    await run('run-22', [missing(3)], cases);
    const before = await cases.listMonth(MONTH);
    const audit = auditTrail();

    // Act
    const again = await run('run-22', [missing(3)], cases, audit);

    // Assess
    expect(again).toMatchObject({ opened: 0, existing: 1, withdrawn: 0, reopened: 0 });
    expect(await cases.listMonth(MONTH)).toEqual(before);
    expect(audit.entries.map((e) => e.action)).toEqual(['CASES_OPENED']);
  });

  it('never touches a case an officer closed, and an officer saving first wins over the withdrawal', async () => {
    // Prepare: case 1 closed by the officer before; case 2 saved by her while the run withdraws
    const cases = new MemoryCaseStore();
    await run('run-1', [1, 2, 3].map(missing), cases);
    const [one, two] = [1, 2].map(
      (n) => [...cases.cases.values()].find((c) => c.idNumber === missing(n).idNumber)?.caseId ?? '',
    );
    const byOfficer = (id: string) => {
      const c = cases.cases.get(id);
      if (c === undefined) throw new Error('no case');
      cases.cases.set(id, {
        ...c,
        status: 'CLOSED',
        outcome: 'STOPPED',
        closedBy: 'sanjiao officer',
        version: c.version + 1,
      });
    };
    byOfficer(one as string);
    cases.beforeSave = (record) => {
      if (record.caseId === two && record.outcome === 'WITHDRAWN') byOfficer(two as string);
    };
    const audit = auditTrail();

    // Act
    const result = await run('run-22', [], cases, audit);

    // Assess
    expect(result.withdrawn).toBe(1);
    expect(cases.cases.get(one as string)).toMatchObject({ outcome: 'STOPPED', closedBy: 'sanjiao officer' });
    expect(cases.cases.get(two as string)).toMatchObject({ outcome: 'STOPPED', closedBy: 'sanjiao officer' });
    expect(audit.entries.find((e) => e.action === 'CASES_WITHDRAWN')?.details).toMatchObject({
      count: 1,
      savedByOfficerFirst: 1,
    });
  });

  it('opens a withdrawn case again (same case id) when a still newer run finds it again', async () => {
    // Prepare
    const cases = new MemoryCaseStore();
    await run('run-1', [1, 2].map(missing), cases);
    await run('run-22', [missing(2)], cases);
    const withdrawn = [...cases.cases.values()].find((c) => c.outcome === 'WITHDRAWN');

    // Act
    const result = await run('run-333', [1, 2].map(missing), cases);

    // Assess
    expect(result).toMatchObject({ opened: 0, existing: 1, withdrawn: 0, reopened: 1 });
    const again = cases.cases.get(withdrawn?.caseId ?? '');
    expect(again).toMatchObject({ status: 'OPEN', version: 3 });
    expect(again?.outcome).toBeUndefined();
    expect([...cases.cases.values()].every((c) => c.status === 'OPEN')).toBe(true);
  });

  it('keeps a case whose finding the newer run still has, wherever it now stands', async () => {
    // Prepare: the first run opened case 1; the newer one has it too, after a new one
    const cases = new MemoryCaseStore();
    await run('run-1', [missing(1)], cases);

    // Act
    const result = await run('run-22', [missing(0), missing(1)], cases);

    // Assess
    expect(result.withdrawn).toBe(0);
  });
});
