import { createHash } from 'node:crypto';
import { csvLine } from '#formats/csv-writer.ts';
import { findingsArrowFile } from '#formats/findings-arrow.ts';
import { readFindingLines } from '#formats/findings-lines.ts';
import { findingsArrow, findingsCsv, monthSummary } from '#schemas/bucket-layout.ts';
import { FINDINGS_CSV_COLUMNS, type Finding } from '#schemas/finding.ts';
import { CHECK_SEVERITIES } from '#schemas/finding-codes.ts';
import type { MapRunOutput } from '#schemas/map-run.ts';
import { formatFen } from '#schemas/money.ts';
import type { PartitionResult, PreparedMonthRun } from '#schemas/month-run.ts';
import { readPartitionResults } from './map-run-results.ts';
import { type FindingSource, mergeFindings } from './merge-findings.ts';
import type { MonthRunManifest } from './month-run-manifest.ts';
import type { AuditTrail, ObjectStore } from './ports.ts';
import { openWritten, readJson } from './read-json.ts';
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

/**
 * Counts of the month's findings, kept as they stream by in `findings.csv` order: per code, per
 * severity, per batch and code, and the valid rows held (a row's findings come together in that
 * order, so a row is counted once without remembering the rows seen).
 */
class FindingsTally {
  total = 0;
  readonly byCode: Record<string, number> = {};
  readonly bySeverity: Record<string, number> = {};
  readonly byBatch = new Map<string, Record<string, number>>();
  readonly heldRows = new Map<string, number>();
  private lastHeld: { batch: string; row: number } | undefined;

  add(f: Finding): void {
    this.total++;
    this.byCode[f.code] = (this.byCode[f.code] ?? 0) + 1;
    this.bySeverity[f.severity] = (this.bySeverity[f.severity] ?? 0) + 1;
    let batch = this.byBatch.get(f.batch);
    if (batch === undefined) {
      batch = {};
      this.byBatch.set(f.batch, batch);
    }
    batch[f.code] = (batch[f.code] ?? 0) + 1;
    // Valid rows held out of the release: those with a BLOCK finding of the checks of 3.3.
    if (f.severity !== 'BLOCK' || f.row === undefined || !(f.code in CHECK_SEVERITIES)) return;
    if (this.lastHeld?.batch === f.batch && this.lastHeld.row === f.row) return;
    this.lastHeld = { batch: f.batch, row: f.row };
    this.heldRows.set(f.batch, (this.heldRows.get(f.batch) ?? 0) + 1);
  }
}

/** Characters of CSV gathered into one piece of the written stream. */
const PIECE_CHARS = 256 * 1024;

/**
 * Writes the month's `findings.csv` (contract section 4: the findings of 3.1–3.3 of the current
 * file of every batch), its Arrow copy and `summary.json` (counts and totals per batch and per
 * code, what would be released and held, which checks ran, the datasets used as evidence).
 *
 * The findings are never held together: each upload's and each partition's findings stream in
 * `findings.csv` order, merged as they are written (`mergeFindings`), and the counts are kept on
 * the way; the files are written as streams, the CSV in one pass and the Arrow copy in a second.
 */
export async function writeMonthFindings(
  input: PreparedMonthRun & { partitionResults: readonly PartitionResult[] },
  deps: { store: ObjectStore; audit: AuditTrail; now: () => string },
): Promise<MonthFindingsResult> {
  const manifest = await readJson<MonthRunManifest>(deps.store, input.manifestKey);
  const reports = new Map<string, ValidationReport>();
  for (const batch of manifest.batches) {
    if (batch.reportKey === undefined) continue;
    reports.set(batch.batch, await readJson<ValidationReport>(deps.store, batch.reportKey));
  }
  const stored = async function* (key: string) {
    yield* readFindingLines(await openWritten(deps.store, key));
  };
  const partitions = [...input.partitionResults].sort((a, b) => a.partition - b.partition);
  const sources = (): FindingSource[] => [
    ...[...reports.values()].map((report) => {
      const key = report.outcome.findingsKey;
      // A report from before findings files listed every finding itself.
      return { name: key ?? report.outcome.reportKey, findings: key ? stored(key) : listed(report.findings) };
    }),
    ...partitions.map((p) => ({ name: p.findingsKey, findings: stored(p.findingsKey) })),
  ];

  const tally = new FindingsTally();
  const csvHash = createHash('sha256');
  const csvPieces = async function* () {
    let piece = csvLine(FINDINGS_CSV_COLUMNS);
    for await (const f of mergeFindings(sources())) {
      tally.add(f);
      piece += csvLine([f.month, f.batch, f.row, f.idNumber, f.category, f.code, f.severity, f.detail]);
      if (piece.length >= PIECE_CHARS) {
        csvHash.update(piece);
        yield piece;
        piece = '';
      }
    }
    csvHash.update(piece);
    yield piece;
  };
  const { month } = manifest;
  const keys = {
    findings: findingsCsv.key({ month }),
    findingsArrow: findingsArrow.key({ month }),
    summary: monthSummary.key({ month }),
  };
  await deps.store.putStream(keys.findings, csvPieces(), 'text/csv; charset=utf-8');
  await deps.store.putStream(
    keys.findingsArrow,
    findingsArrowFile(mergeFindings(sources())),
    'application/vnd.apache.arrow.file',
  );

  const batches = manifest.batches.map((b) => {
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
      validRowsHeld: tally.heldRows.get(b.batch) ?? 0,
      findingsByCode: tally.byBatch.get(b.batch) ?? {},
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
      validRowsHeld: [...tally.heldRows.values()].reduce((n, rows) => n + rows, 0),
      findings: tally.total,
    },
    findingsByCode: tally.byCode,
    findingsBySeverity: tally.bySeverity,
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
  await deps.store.put(keys.summary, `${JSON.stringify(summary, null, 2)}\n`, 'application/json');
  await deps.audit.append({
    month: manifest.month,
    action: 'MONTH_CHECKED',
    actor: 'payguard:month-run',
    at: summary.generatedAt,
    contentSha256: csvHash.digest('hex'),
    subject: keys.findings,
    details: { runId: manifest.runId, findings: tally.total, findingsByCode: summary.findingsByCode },
  });
  return {
    month: manifest.month,
    runId: manifest.runId,
    findingsKey: keys.findings,
    findingsArrowKey: keys.findingsArrow,
    summaryKey: keys.summary,
    findings: tally.total,
  };
}

/**
 * {@link writeMonthFindings} with the partitions' results read from the files the partition
 * check's distributed Map wrote (`partitionResults` is that Map state's output).
 */
export async function writeMonthFindingsOfMapRun(
  input: PreparedMonthRun & { partitionResults: MapRunOutput },
  deps: { store: ObjectStore; audit: AuditTrail; now: () => string },
): Promise<MonthFindingsResult> {
  const manifest = await readJson<MonthRunManifest>(deps.store, input.manifestKey);
  const partitionResults = await readPartitionResults(deps.store, manifest, input.partitionResults);
  return writeMonthFindings({ ...input, partitionResults }, deps);
}

async function* listed(findings: readonly Finding[]): AsyncGenerator<Finding> {
  yield* findings;
}
