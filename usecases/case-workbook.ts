import { createHash } from 'node:crypto';
import { readCaseWorkbook, writeCaseWorkbook } from '#formats/case-workbook.ts';
import type { CaseRecord } from '#schemas/case.ts';
import { type BoundedRun, forEachBounded } from './bounded-map.ts';
import { caseDecisionEntries } from './case-decision-entries.ts';
import { caseOutcomeFromFields } from './case-outcome-fields.ts';
import type { AuditTrail, CaseStore } from './ports.ts';
import {
  type CaseDecision,
  followUpCaseOutcome,
  keepClearance,
  listTownCases,
  saveCaseOutcome,
} from './town-cases.ts';

/**
 * The town's open cases of the month as the XLSX template an officer fills in Excel (issue 11,
 * item 3): the case columns (IDs whole, as the officer needs them), the outcome columns, and a
 * second sheet explaining every allowed value.
 */
export async function exportOpenCasesWorkbook(
  input: { month: string; town: string },
  deps: { cases: CaseStore },
): Promise<Uint8Array> {
  const open = (await listTownCases(input, deps)).filter((c) => c.status === 'OPEN');
  return writeCaseWorkbook(open, `${input.town} ${input.month} 未办结案件 / open cases`);
}

/** What became of one row of an uploaded workbook. */
export interface CaseImportRow {
  /** The sheet row number the officer sees in Excel. */
  readonly row: number;
  readonly caseId: string;
  /** APPLIED: saved; REFUSED: nothing of the row applied (see reasons); SKIPPED: no outcome filled. */
  readonly status: 'APPLIED' | 'REFUSED' | 'SKIPPED';
  readonly reasons: readonly string[];
}

/** The report of a bulk import, like a roster's validation report: row numbers, bilingual reasons. */
export interface CaseImportReport {
  readonly month: string;
  readonly town: string;
  readonly officer: string;
  readonly at: string;
  /** SHA-256 of the uploaded file. */
  readonly fileSha256: string;
  /** Why the whole file was refused (not the template, unreadable); then `rows` is empty. */
  readonly fileProblem?: string;
  readonly rows: readonly CaseImportRow[];
  readonly applied: number;
  readonly refused: number;
  readonly skipped: number;
}

/** How many case saves of an import are in flight at once. */
const IMPORT_CONCURRENCY = 16;

/**
 * Applies an uploaded case workbook (issue 11, item 3): each row with an outcome is checked and
 * saved as on the page (`saveCaseOutcome`: the case's town, its version, the outcome's rules, a
 * conditional save, so an officer's concurrent save is never lost); a row that fails applies
 * nothing and says why, with its sheet row number, in Chinese and English; the other rows are
 * applied. Rows naming another town's case or no case of the month are refused, as is a second
 * row of the same case.
 *
 * Built for a town's 10,000 open cases within the desk's time limit: the town's cases are read
 * in one query, the saves run {@link IMPORT_CONCURRENCY} at a time, and the decisions go to the
 * audit trail in a few chained `CASE_OUTCOMES_APPLIED` entries in sheet row order (each decision
 * as the page's `CASE_OUTCOME_RECORDED` has it) rather than one append per row. Then the import
 * itself is audited (`CASE_OUTCOMES_IMPORTED`: who, when, the counts and the file's SHA-256). When
 * storage fails part way, the decisions already saved are still audited before the error is thrown.
 */
export async function importCaseOutcomesWorkbook(
  input: { month: string; town: string; officer: string; bytes: Uint8Array },
  deps: { cases: CaseStore; audit: AuditTrail; now: () => string },
): Promise<CaseImportReport> {
  const at = deps.now();
  const fileSha256 = createHash('sha256').update(input.bytes).digest('hex');
  const read = await readCaseWorkbook(input.bytes);
  const rows: (CaseImportRow | undefined)[] = [];
  const pending: { index: number; sheetRow: number; caseId: string; input: unknown; version: number }[] = [];
  if (read.ok) {
    const seen = new Set<string>();
    for (const row of read.rows) {
      const done = (status: CaseImportRow['status'], reasons: readonly string[]) =>
        rows.push({ row: row.sheetRow, caseId: row.caseId, status, reasons });
      if (row.values.outcome === '') {
        done('SKIPPED', ['未填写处理结果，未处理 / no outcome filled in, left as it is']);
        continue;
      }
      if (seen.has(row.caseId)) {
        done('REFUSED', [
          '同一案件出现在多行，仅处理第一行 / the case appears on an earlier row; only that row counts',
        ]);
        continue;
      }
      seen.add(row.caseId);
      const version = /^\d{1,9}$/.test(row.version) ? Number(row.version) : Number.NaN;
      if (!Number.isInteger(version) || version < 1) {
        done('REFUSED', [
          '版本列须为下载时的数字，请勿修改 / the version column must keep the number it was downloaded with',
        ]);
        continue;
      }
      const v = row.values;
      const outcome = caseOutcomeFromFields({
        outcome: v.outcome,
        action: v.action,
        rootCause: v.root_cause,
        discrepancy: v.discrepancy,
        visitDate: v.visit_date,
        note: v.note,
        overpaid: v.overpaid,
        underpaid: v.underpaid,
        wronglyPaid: v.wrongly_paid,
        recovered: v.recovered,
      });
      if ('reasons' in outcome) {
        done('REFUSED', [...outcome.reasons]);
        continue;
      }
      pending.push({
        index: rows.length,
        sheetRow: row.sheetRow,
        caseId: row.caseId,
        input: outcome.input,
        version,
      });
      rows.push(undefined);
    }
  }
  const saved: { index: number; row: number; case: CaseRecord; decision: CaseDecision; at: string }[] = [];
  let failure: BoundedRun = {};
  if (pending.length > 0) {
    // One read of the town's cases instead of one per row: the conditional save still refuses a
    // case changed since, and a case missing here is not the town's (the query is its partition).
    const town = new Map(
      (await deps.cases.listTown(input.month, input.town)).map((c) => [c.caseId, c] as const),
    );
    failure = await forEachBounded(pending, IMPORT_CONCURRENCY, async (p) => {
      const result = await saveCaseOutcome(
        town.get(p.caseId),
        {
          month: input.month,
          town: input.town,
          caseId: p.caseId,
          officer: input.officer,
          input: p.input,
          expectedVersion: p.version,
        },
        deps,
      );
      const done = (status: CaseImportRow['status'], reasons: readonly string[]) => {
        rows[p.index] = { row: p.sheetRow, caseId: p.caseId, status, reasons };
      };
      if (result.status === 'saved') {
        done('APPLIED', []);
        saved.push({
          index: p.index,
          row: p.sheetRow,
          case: result.case,
          decision: result.decision,
          at: result.at,
        });
      } else if (result.status === 'not-found') {
        done('REFUSED', [
          `案件号 ${p.caseId} 不是本镇街本月的案件 / case ${p.caseId} is not a case of your town this month`,
        ]);
      } else done('REFUSED', result.reasons);
    });
  }
  // Sheet row order, whatever order the saves finished in.
  saved.sort((a, b) => a.index - b.index);
  const subject = `case workbook of ${input.town}`;
  const decisionEntries = caseDecisionEntries(
    { month: input.month, actor: input.officer, at, subject, contentSha256: fileSha256, town: input.town },
    saved.map((s) => ({ ...s.decision, row: s.row, at: s.at })),
  );
  for (const entry of decisionEntries) await deps.audit.append(entry);
  if ('error' in failure) throw failure.error;
  const clearances = await forEachBounded(saved, IMPORT_CONCURRENCY, (s) =>
    keepClearance(s.case, input.officer, s.at, deps),
  );
  if ('error' in clearances) throw clearances.error;
  for (const s of saved) await followUpCaseOutcome(s.case, s.at, deps);
  const done = rows.filter((r): r is CaseImportRow => r !== undefined);
  const count = (status: CaseImportRow['status']) => done.filter((r) => r.status === status).length;
  const report: CaseImportReport = {
    month: input.month,
    town: input.town,
    officer: input.officer,
    at,
    fileSha256,
    ...(read.ok ? {} : { fileProblem: read.reason }),
    rows: done,
    applied: count('APPLIED'),
    refused: count('REFUSED'),
    skipped: count('SKIPPED'),
  };
  await deps.audit.append({
    month: input.month,
    action: 'CASE_OUTCOMES_IMPORTED',
    actor: input.officer,
    at,
    contentSha256: fileSha256,
    subject,
    details: {
      town: input.town,
      applied: report.applied,
      refused: report.refused,
      skipped: report.skipped,
      decisionEntries: decisionEntries.length,
      ...(report.fileProblem ? { fileProblem: report.fileProblem } : {}),
      refusedRows: done.filter((r) => r.status === 'REFUSED').map((r) => r.row),
    },
  });
  return report;
}
