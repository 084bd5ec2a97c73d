import { createHash } from 'node:crypto';
import { readCaseWorkbook, writeCaseWorkbook } from '#formats/case-workbook.ts';
import { caseOutcomeFromFields } from './case-outcome-fields.ts';
import type { AuditTrail, CaseStore } from './ports.ts';
import { listTownCases, recordCaseOutcome } from './town-cases.ts';

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

/**
 * Applies an uploaded case workbook (issue 11, item 3): each row with an outcome is checked and
 * recorded as on the page (`recordCaseOutcome`: the case's town, its version, the outcome's rules,
 * a conditional save, the audit trail); a row that fails applies nothing and says why, with its
 * sheet row number, in Chinese and English; the other rows are applied. Rows naming another
 * town's case or no case of the month are refused, as is a second row of the same case. The
 * import itself is audited (`CASE_OUTCOMES_IMPORTED`: who, when, the counts and the file's SHA-256).
 */
export async function importCaseOutcomesWorkbook(
  input: { month: string; town: string; officer: string; bytes: Uint8Array },
  deps: { cases: CaseStore; audit: AuditTrail; now: () => string },
): Promise<CaseImportReport> {
  const at = deps.now();
  const fileSha256 = createHash('sha256').update(input.bytes).digest('hex');
  const read = await readCaseWorkbook(input.bytes);
  const rows: CaseImportRow[] = [];
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
      const result = await recordCaseOutcome(
        {
          month: input.month,
          town: input.town,
          caseId: row.caseId,
          officer: input.officer,
          input: outcome.input,
          expectedVersion: version,
        },
        deps,
      );
      if (result.status === 'saved') done('APPLIED', []);
      else if (result.status === 'not-found') {
        done('REFUSED', [
          `案件号 ${row.caseId} 不是本镇街本月的案件 / case ${row.caseId} is not a case of your town this month`,
        ]);
      } else done('REFUSED', result.reasons);
    }
  }
  const count = (status: CaseImportRow['status']) => rows.filter((r) => r.status === status).length;
  const report: CaseImportReport = {
    month: input.month,
    town: input.town,
    officer: input.officer,
    at,
    fileSha256,
    ...(read.ok ? {} : { fileProblem: read.reason }),
    rows,
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
    subject: `case workbook of ${input.town}`,
    details: {
      town: input.town,
      applied: report.applied,
      refused: report.refused,
      skipped: report.skipped,
      ...(report.fileProblem ? { fileProblem: report.fileProblem } : {}),
      refusedRows: rows.filter((r) => r.status === 'REFUSED').map((r) => r.row),
    },
  });
  return report;
}
