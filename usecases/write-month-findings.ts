import { createHash } from 'node:crypto';
import { compareFindings } from '#domain/month-check/compare-findings.ts';
import { csvLine } from '#formats/csv-writer.ts';
import { findingsToArrow } from '#formats/findings-arrow.ts';
import { findingsArrow, findingsCsv, monthSummary } from '#schemas/bucket-layout.ts';
import { FINDINGS_CSV_COLUMNS, type Finding } from '#schemas/finding.ts';
import { CHECK_SEVERITIES } from '#schemas/finding-codes.ts';
import { formatFen } from '#schemas/money.ts';
import type { PartitionResult, PreparedMonthRun } from '#schemas/month-run.ts';
import type { MonthRunManifest } from './month-run-manifest.ts';
import type { AuditTrail, ObjectStore } from './ports.ts';
import { readJson } from './read-json.ts';
import type { ValidationReport } from './validation-report.ts';

/**
 * The checks behind the month's findings (`checks` of `summary.json`). The approval, the release and the close-out follow in the same
 * workflow and fill `approval`, `release` and `closeout` of `summary.json` as they happen.
 */
export const CHECKS = {
  ran: [
    'file-level findings (contract 3.1)',
    'row validation (contract 3.2)',
    'registry and partner cross-checks (contract 3.3)',
  ],
  notRun: [] as string[],
} as const;

/** What WriteMonthFindings wrote, as returned to the workflow. */
export interface MonthFindingsResult {
  readonly month: string;
  readonly runId: string;
  readonly findingsKey: string;
  readonly findingsArrowKey: string;
  readonly summaryKey: string;
  readonly findings: number;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

/**
 * Writes the month's `findings.csv` (contract section 4: the findings of 3.1–3.3 of the current
 * file of every batch), its Arrow copy and `summary.json` (counts and totals per batch and per
 * code, what would be released and held, which checks ran, the datasets used as evidence).
 */
export async function writeMonthFindings(
  input: PreparedMonthRun & { partitionResults: readonly PartitionResult[] },
  deps: { store: ObjectStore; audit: AuditTrail; now: () => string },
): Promise<MonthFindingsResult> {
  const manifest = await readJson<MonthRunManifest>(deps.store, input.manifestKey);
  const findings: Finding[] = [];
  const reports = new Map<string, ValidationReport>();
  for (const batch of manifest.batches) {
    if (batch.reportKey === undefined) continue;
    const report = await readJson<ValidationReport>(deps.store, batch.reportKey);
    reports.set(batch.batch, report);
    for (const finding of report.findings) findings.push(finding);
  }
  for (const result of [...input.partitionResults].sort((a, b) => a.partition - b.partition)) {
    // One by one: a spread of hundreds of thousands of findings overflows the call stack.
    for (const finding of await readJson<Finding[]>(deps.store, result.findingsKey)) findings.push(finding);
  }
  findings.sort(compareFindings);

  const csv =
    csvLine(FINDINGS_CSV_COLUMNS) +
    findings
      .map((f) => csvLine([f.month, f.batch, f.row, f.idNumber, f.category, f.code, f.severity, f.detail]))
      .join('');

  // Valid rows held out of the release: those with a BLOCK finding of the checks of 3.3.
  const held = new Map<string, Set<number>>();
  for (const f of findings) {
    if (f.severity !== 'BLOCK' || f.row === undefined || !(f.code in CHECK_SEVERITIES)) continue;
    held.set(f.batch, (held.get(f.batch) ?? new Set()).add(f.row));
  }
  const batches = manifest.batches.map((b) => {
    const mine = findings.filter((f) => f.batch === b.batch);
    const outcome = reports.get(b.batch)?.outcome;
    return {
      batch: b.batch,
      file: b.key,
      status: b.status,
      ...(b.failure ? { failure: b.failure } : {}),
      ...(outcome
        ? {
            fileFinding: outcome.fileFinding ?? null,
            encoding: outcome.encoding,
            sourceSha256: outcome.sourceSha256,
            dataRows: outcome.records,
            blankRows: outcome.blankRecords,
            invalidRows: outcome.invalidRows,
            report: b.reportKey,
            readableReport: b.readableReportKey,
          }
        : {}),
      validRows: b.validRows,
      validAmount: formatFen(b.validAmountFen),
      validRowsHeld: held.get(b.batch)?.size ?? 0,
      findingsByCode: countBy(mine, (f) => f.code),
    };
  });
  const validRows = manifest.batches.reduce((n, b) => n + b.validRows, 0);
  const summary = {
    month: manifest.month,
    runId: manifest.runId,
    generatedAt: deps.now(),
    trigger: manifest.trigger,
    checks: CHECKS,
    config: {
      employedContributionBase: formatFen(manifest.config.employedContributionBaseFen),
      pensionIncome: formatFen(manifest.config.pensionIncomeFen),
      expectedBatches: manifest.config.expectedBatches,
      expectedBatchesFrom: manifest.config.expectedBatchesFrom,
      partitions: manifest.partitionCount,
    },
    totals: {
      batches: manifest.batches.length,
      acceptedBatches: manifest.batches.filter((b) => b.status === 'ACCEPTED').length,
      rejectedBatches: manifest.batches.filter((b) => b.status === 'REJECTED').length,
      failedBatches: manifest.batches.filter((b) => b.status === 'FAILED').length,
      missingBatches: manifest.missingBatches,
      validRows,
      validAmount: formatFen(manifest.batches.reduce((n, b) => n + b.validAmountFen, 0)),
      validRowsHeld: [...held.values()].reduce((n, rows) => n + rows.size, 0),
      findings: findings.length,
    },
    findingsByCode: countBy(findings, (f) => f.code),
    findingsBySeverity: countBy(findings, (f) => f.severity),
    datasets: Object.fromEntries(
      Object.values(manifest.datasets).map((d) => [
        d.dataset,
        {
          snapshotId: d.snapshotId,
          sources: d.sources,
          rows: d.rows,
          skippedRows: d.skippedRows,
          dateRange: d.dateRange ?? null,
          ...(d.missing ? { missing: true } : {}),
        },
      ]),
    ),
    batches,
    approval: null,
    release: null,
    closeout: null,
  };
  const { month } = manifest;
  const keys = {
    findings: findingsCsv.key({ month }),
    findingsArrow: findingsArrow.key({ month }),
    summary: monthSummary.key({ month }),
  };
  await deps.store.put(keys.findings, csv, 'text/csv; charset=utf-8');
  await deps.store.put(keys.findingsArrow, findingsToArrow(findings), 'application/vnd.apache.arrow.file');
  await deps.store.put(keys.summary, `${JSON.stringify(summary, null, 2)}\n`, 'application/json');
  await deps.audit.append({
    month: manifest.month,
    action: 'MONTH_CHECKED',
    actor: 'payguard:month-run',
    at: summary.generatedAt,
    contentSha256: createHash('sha256').update(csv).digest('hex'),
    subject: keys.findings,
    details: { runId: manifest.runId, findings: findings.length, findingsByCode: summary.findingsByCode },
  });
  return {
    month: manifest.month,
    runId: manifest.runId,
    findingsKey: keys.findings,
    findingsArrowKey: keys.findingsArrow,
    summaryKey: keys.summary,
    findings: findings.length,
  };
}
