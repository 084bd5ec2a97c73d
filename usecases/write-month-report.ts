import { createHash } from 'node:crypto';
import { formatFen } from '#domain/amount.ts';
import { csvLine } from '#formats/csv-writer.ts';
import { FINDINGS_CSV_COLUMNS, type Finding } from '#schemas/finding.ts';
import { FILE_FINDING_CODES, type FindingCode, ROW_FINDING_CODES } from '#schemas/finding-codes.ts';
import type { AuditTrail, BatchState, ObjectStore, RunStateStore } from './ports.ts';
import type { ValidationReport } from './validation-report.ts';

/** The checks this build performs, and those the contract defines that are not built yet. */
export const CHECKS = {
  ran: ['file-level findings (contract 3.1)', 'row validation (contract 3.2)'],
  notRun: [
    'registry and partner cross-checks (contract 3.3)',
    'approval and release (contract 3.4, section 4)',
    'close-out against bank returns (contract 3.4)',
  ],
} as const;

const CODE_ORDER = new Map<FindingCode, number>(
  [...FILE_FINDING_CODES, ...ROW_FINDING_CODES].map((code, i) => [code, i]),
);

function compareFindings(a: Finding, b: Finding): number {
  if (a.batch !== b.batch) return a.batch < b.batch ? -1 : 1;
  const rowA = a.row ?? 0;
  const rowB = b.row ?? 0;
  if (rowA !== rowB) return rowA - rowB;
  return (CODE_ORDER.get(a.code) ?? 99) - (CODE_ORDER.get(b.code) ?? 99);
}

export const monthReportKeys = (month: string) => ({
  findings: `reports/${month}/findings.csv`,
  summary: `reports/${month}/summary.json`,
});

/** What the month report found, as returned to the workflow. */
export interface MonthReportResult {
  readonly month: string;
  readonly findingsKey: string;
  readonly summaryKey: string;
  readonly findings: number;
  readonly batches: number;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

function batchSummary(batch: BatchState, findings: readonly Finding[]) {
  const o = batch.outcome;
  return {
    batch: batch.batch,
    file: batch.latestKey,
    status: batch.status,
    ...(batch.failure ? { failure: batch.failure } : {}),
    ...(o
      ? {
          fileFinding: o.fileFinding ?? null,
          encoding: o.encoding,
          sourceSha256: o.sourceSha256,
          dataRows: o.records,
          blankRows: o.blankRecords,
          validRows: o.validRows,
          invalidRows: o.invalidRows,
          validAmount: formatFen(o.validAmountFen),
          report: o.reportKey,
          readableReport: o.readableReportKey,
        }
      : {}),
    findingsByCode: countBy(findings, (f) => f.code),
  };
}

/**
 * Gathers the current file of every batch of the month and writes `findings.csv` (contract
 * section 4, here with the findings of 3.1–3.2) and `summary.json`, which says which checks ran.
 */
export async function writeMonthReport(
  month: string,
  deps: { state: RunStateStore; store: ObjectStore; audit: AuditTrail; now: () => string },
): Promise<MonthReportResult> {
  const batches = (await deps.state.listBatches(month)).sort((a, b) => (a.batch < b.batch ? -1 : 1));
  const perBatch = new Map<string, Finding[]>();
  for (const batch of batches) {
    const reportKey = batch.outcome?.reportKey;
    if (reportKey === undefined) continue;
    const bytes = await deps.store.readBytes(reportKey);
    if (bytes === undefined)
      throw new Error(`Validation report ${reportKey} of batch ${batch.batch} is missing`);
    const report = JSON.parse(Buffer.from(bytes).toString('utf8')) as ValidationReport;
    perBatch.set(batch.batch, [...report.findings]);
  }
  const findings = [...perBatch.values()].flat().sort(compareFindings);
  const csv =
    csvLine(FINDINGS_CSV_COLUMNS) +
    findings
      .map((f) => csvLine([f.month, f.batch, f.row, f.idNumber, f.category, f.code, f.severity, f.detail]))
      .join('');
  const accepted = batches.filter((b) => b.status === 'ACCEPTED');
  const summary = {
    month,
    generatedAt: deps.now(),
    checks: CHECKS,
    totals: {
      batches: batches.length,
      acceptedBatches: accepted.length,
      rejectedBatches: batches.filter((b) => b.status === 'REJECTED').length,
      failedBatches: batches.filter((b) => b.status === 'FAILED').length,
      pendingBatches: batches.filter((b) => b.status === 'PENDING').length,
      validRows: accepted.reduce((n, b) => n + (b.outcome?.validRows ?? 0), 0),
      invalidRows: accepted.reduce((n, b) => n + (b.outcome?.invalidRows ?? 0), 0),
      validAmount: formatFen(accepted.reduce((n, b) => n + (b.outcome?.validAmountFen ?? 0), 0)),
      findings: findings.length,
    },
    findingsByCode: countBy(findings, (f) => f.code),
    findingsBySeverity: countBy(findings, (f) => f.severity),
    batches: batches.map((b) => batchSummary(b, perBatch.get(b.batch) ?? [])),
    approval: null,
    closeout: null,
  };
  const keys = monthReportKeys(month);
  await deps.store.put(keys.findings, csv, 'text/csv; charset=utf-8');
  await deps.store.put(keys.summary, `${JSON.stringify(summary, null, 2)}\n`, 'application/json');
  await deps.audit.append({
    month,
    action: 'MONTH_REPORT_WRITTEN',
    actor: 'payguard:month-report',
    at: summary.generatedAt,
    contentSha256: createHash('sha256').update(csv).digest('hex'),
    subject: keys.findings,
    details: { findings: findings.length, batches: batches.length },
  });
  return {
    month,
    findingsKey: keys.findings,
    summaryKey: keys.summary,
    findings: findings.length,
    batches: batches.length,
  };
}
