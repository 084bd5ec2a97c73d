import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoCaseStore } from '#adapters/dynamo-case-store.ts';
import { verifyAuditExport, writeAuditExport } from '#local/cli/audit-export.ts';
import type { LocalStack } from '#local/stand-ins/local-stack.ts';
import { startLocalStack } from '#local/stand-ins/local-stack.ts';
import { ChainedAuditTrail } from '#usecases/audit-chain.ts';
import { DECISIONS_PER_ENTRY, type ImportedCaseDecision } from '#usecases/case-decision-entries.ts';
import { importCaseOutcomesWorkbook } from '#usecases/case-workbook.ts';
import { recordCaseOutcome } from '#usecases/town-cases.ts';
import { bulkCase, bulkOutcome, fillCaseWorkbook } from '../../bench/case-workbook-filler.ts';

const MONTH = '2026-09';
const TOWN = 'xiaolan';
const ROWS = 2000;

describe('a bulk import of a 2,000-case workbook on the case table', () => {
  let stack: LocalStack;
  let cases: DynamoCaseStore;
  let audit: ChainedAuditTrail;
  let out: string;
  const now = () => '2026-10-05T08:00:00.000Z';

  beforeAll(async () => {
    stack = await startLocalStack();
    out = await mkdtemp(join(tmpdir(), 'payguard-bulk-import-'));
    const { documentClient } = await import('#adapters/clients.ts');
    const { DynamoCaseStore } = await import('#adapters/dynamo-case-store.ts');
    const { DynamoAuditLedger } = await import('#adapters/dynamo-audit-ledger.ts');
    cases = new DynamoCaseStore(documentClient(), stack.caseTable);
    audit = new ChainedAuditTrail(new DynamoAuditLedger(documentClient(), stack.auditTable));
  });

  afterAll(async () => {
    await stack?.stop();
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('applies every valid row, refuses the bad and the stale ones by row, never loses a page save, and chains every decision in sheet order', async () => {
    // Prepare: 2,000 open cases; every 97th row filled wrongly; one case saved on the page after
    // the download (its row is stale); one case saved on the page while the import runs
    const records = Array.from({ length: ROWS }, (_, n) => bulkCase(MONTH, TOWN, n + 1));
    await cases.openAll(MONTH, records);
    const byId = new Map(records.map((r) => [r.caseId, r]));
    const bad = new Set(records.filter((_, n) => n % 97 === 5).map((r) => r.caseId));
    const { bytes, rowOf } = await fillCaseWorkbook({ month: MONTH, town: TOWN }, { cases }, (id) => {
      const record = byId.get(id);
      if (record === undefined) return undefined;
      return bad.has(id) ? { ...bulkOutcome(record), recovered: '1,000' } : bulkOutcome(record);
    });
    const stale = records[10]?.caseId ?? '';
    const racing = records[ROWS - 301]?.caseId ?? '';
    const pageSave = (caseId: string) =>
      recordCaseOutcome(
        {
          month: MONTH,
          town: TOWN,
          caseId,
          officer: 'li',
          input: { outcome: 'DATA_ERROR_CORRECTED', note: '页面保存 / saved on the page' },
          expectedVersion: 1,
        },
        { cases, audit, now },
      );
    expect((await pageSave(stale)).status).toBe('saved');

    // Act
    const [report, raced] = await Promise.all([
      importCaseOutcomesWorkbook({ month: MONTH, town: TOWN, officer: 'chen', bytes }, { cases, audit, now }),
      new Promise((resolve) => setTimeout(resolve, 50)).then(() => pageSave(racing)),
    ]);

    // Assess: the report, row by row
    const byRow = new Map(report.rows.map((r) => [r.row, r]));
    const statusOf = (caseId: string) => byRow.get(rowOf.get(caseId) ?? -1);
    for (const id of bad) {
      expect(statusOf(id)?.status).toBe('REFUSED');
      expect(statusOf(id)?.reasons.join(' ')).toContain('追回 / recovered');
    }
    expect(statusOf(stale)).toEqual(
      expect.objectContaining({
        status: 'REFUSED',
        reasons: [expect.stringContaining('changed by someone else')],
      }),
    );
    // Of the page save and the import's row of the same case, exactly one won
    const racingRow = statusOf(racing);
    expect([raced.status, racingRow?.status].sort()).toEqual(
      raced.status === 'saved' ? ['REFUSED', 'saved'] : ['APPLIED', 'conflict'],
    );
    const refusedIds = new Set([...bad, stale, ...(racingRow?.status === 'REFUSED' ? [racing] : [])]);
    expect(report.refused).toBe(refusedIds.size);
    expect(report.applied).toBe(ROWS - refusedIds.size);
    expect(report.rows.map((r) => r.row)).toEqual([...report.rows.map((r) => r.row)].sort((a, b) => a - b));

    // Assess: the table: applied rows saved as filled, refused rows untouched, the page saves kept
    const stored = new Map((await cases.listTown(MONTH, TOWN)).map((c) => [c.caseId, c]));
    for (const record of records) {
      const now = stored.get(record.caseId);
      const row = statusOf(record.caseId);
      if (row?.status === 'APPLIED') {
        expect(now).toEqual(
          expect.objectContaining({ status: 'CLOSED', outcome: bulkOutcome(record).outcome, version: 2 }),
        );
      } else if (record.caseId === stale || record.caseId === racing) {
        expect(now).toEqual(
          expect.objectContaining({ outcome: 'DATA_ERROR_CORRECTED', closedBy: 'li', version: 2 }),
        );
      } else expect(now).toEqual(expect.objectContaining({ status: 'OPEN', version: 1 }));
    }
    const block = records.find((r) => r.severity === 'BLOCK' && statusOf(r.caseId)?.status === 'APPLIED');
    expect(stored.get(block?.caseId ?? '')?.money).toEqual({
      overpaidFen: Number(block?.caseId.slice(-8)) * 100 + 50,
      underpaidFen: 0,
      wronglyPaidFen: 0,
      recoveredFen: 100,
    });

    // Assess: the audit trail: every applied decision once, in sheet row order, the chain whole
    await writeAuditExport(MONTH, out);
    const verdict = await verifyAuditExport(out);
    expect(verdict.broken).toBeUndefined();
    const entries = await audit.list(MONTH);
    const parts = entries.filter((e) => e.action === 'CASE_OUTCOMES_APPLIED');
    expect(parts.length).toBeGreaterThanOrEqual(Math.ceil(report.applied / DECISIONS_PER_ENTRY));
    const decisions = parts.flatMap((e) => e.details.decisions as ImportedCaseDecision[]);
    expect(decisions.length).toBeLessThanOrEqual(parts.length * DECISIONS_PER_ENTRY);
    const applied = report.rows.filter((r) => r.status === 'APPLIED');
    expect(decisions.map((d) => [d.row, d.caseId])).toEqual(applied.map((r) => [r.row, r.caseId]));
    const first = decisions.find((d) => d.outcome.outcome === 'CONFIRMED_IN_ORDER');
    expect(first?.outcome).toEqual({
      outcome: 'CONFIRMED_IN_ORDER',
      note: bulkOutcome(byId.get(first?.caseId ?? '') as never).note,
    });
    expect(first?.idNumber).toMatch(/^442000\*{8}\d{3}[\dX]$/);
    const summary = entries.filter((e) => e.action === 'CASE_OUTCOMES_IMPORTED');
    expect(summary).toHaveLength(1);
    expect(summary[0]?.details).toEqual(
      expect.objectContaining({
        applied: report.applied,
        refused: report.refused,
        decisionEntries: parts.length,
      }),
    );
    expect(entries.filter((e) => e.action === 'CASE_OUTCOME_RECORDED')).toHaveLength(
      raced.status === 'saved' ? 2 : 1,
    );
    // The summary comes after its decisions in the chain
    const seqOf = (e: (typeof entries)[number]) => (e as unknown as { seq: number }).seq;
    expect(Math.max(...parts.map(seqOf))).toBeLessThan(seqOf(summary[0] as never));
  }, 240_000);
});
