import type { FindingCode } from '#schemas/finding-codes.ts';
import { FINDING_CODE_ORDER, severityOf } from '#schemas/finding-codes.ts';
import type { RunMonthResult } from './run-month.ts';

interface SummaryShape {
  totals?: Record<string, number | string | string[]>;
  batches?: { batch: string; file: string; status: string; failure?: string }[];
  findingsByCode?: Record<string, number>;
  checks?: { ran?: string[]; notRun?: string[] };
  datasets?: Record<string, { rows: number; skippedRows: number; missing?: boolean }>;
  config?: { partitions?: number; expectedBatches?: string[]; expectedBatchesFrom?: string };
  approval?: {
    status?: string;
    requiredApprovals?: number;
    approvals?: { approverName: string; approverId: string; at: string }[];
    reason?: string;
  } | null;
  release?: { rows?: number; totalAmount?: string; sha256?: string } | null;
  closeout?: { state?: string; countsByCode?: Record<string, number>; fileProblems?: unknown[] } | null;
}

/** Prints the end-of-run table: totals, datasets used, findings per code, what ran and what did not. */
export function printRunSummary(result: RunMonthResult, say: (line: string) => void): void {
  const summary = result.summary as SummaryShape;
  const t = summary.totals ?? {};
  const missing = Array.isArray(t.missingBatches) ? t.missingBatches : [];
  say('');
  say(
    `month ${result.month}: ${t.acceptedBatches ?? 0} batches accepted, ${t.rejectedBatches ?? 0} rejected` +
      (t.failedBatches ? `, ${t.failedBatches} could not be checked` : '') +
      (missing.length > 0 ? `, expected but not accepted: ${missing.join(', ')}` : '') +
      // A first month without config/pipeline.json's expectedBatches expects nothing: say so.
      (summary.config?.expectedBatches?.length === 0 ? ', no expected batches configured' : ''),
  );
  for (const b of summary.batches ?? []) {
    if (b.status === 'FAILED')
      say(`  not checked: ${b.batch} ${b.file} — ${b.failure ?? 'no reason recorded'}`);
  }
  say(
    `  valid rows ${t.validRows ?? 0} (${t.validAmount ?? '0.00'} yuan), held by a BLOCK finding ${t.validRowsHeld ?? 0}, partitions ${summary.config?.partitions ?? 1}`,
  );
  const datasets = Object.entries(summary.datasets ?? {});
  if (datasets.length > 0) {
    say(
      '  datasets: ' +
        datasets
          .map(
            ([n, d]) =>
              `${n} ${d.missing ? 'missing' : `${d.rows}${d.skippedRows ? ` (${d.skippedRows} skipped)` : ''}`}`,
          )
          .join(', '),
    );
  }
  say('');
  say('  code                     severity   findings');
  const counts = summary.findingsByCode ?? {};
  for (const code of FINDING_CODE_ORDER) {
    const count = counts[code];
    if (count)
      say(`  ${code.padEnd(24)} ${severityOf(code as FindingCode).padEnd(8)} ${String(count).padStart(10)}`);
  }
  if (Object.keys(counts).length === 0) say('  (none)');
  say('');
  for (const check of summary.checks?.ran ?? []) say(`  ran:         ${check}`);
  for (const check of summary.checks?.notRun ?? []) say(`  not run yet: ${check}`);
  say('');
  const approval = summary.approval;
  if (approval) {
    const who = (approval.approvals ?? []).map((a) => `${a.approverName} (${a.approverId})`).join(', ');
    say(
      `  approval: ${approval.status}${approval.requiredApprovals === 2 ? ' (four-eyes: 2 approvers)' : ''}` +
        (who ? ` by ${who}` : '') +
        (approval.status === 'HELD' && approval.reason ? ` — ${approval.reason}` : ''),
    );
  }
  if (summary.release) {
    say(
      `  release:  ${summary.release.rows} payments, ${summary.release.totalAmount} yuan, sha256 ${summary.release.sha256?.slice(0, 16)}…`,
    );
  }
  if (summary.closeout) {
    const counts = Object.entries(summary.closeout.countsByCode ?? {})
      .map(([code, n]) => `${code} ${n}`)
      .join(', ');
    say(`  close-out: ${summary.closeout.state} — ${counts || 'no payments'}`);
  }
  say(`  month state: ${result.state}`);
  const anomalies = result.anomalies;
  if (anomalies) {
    const flagged = anomalies.rows.filter((r) => r.flagged);
    say(
      `  month watch: ${flagged.length} town indicator(s) flagged` +
        (flagged.length > 0 ? ` (${[...new Set(flagged.map((r) => r.town))].join(', ')})` : '') +
        `, history ${anomalies.historyMonths} months${anomalies.note ? ` — ${anomalies.note}` : ''}`,
    );
  }
  say('');
  say(`outputs in ${result.outDir}:`);
  for (const file of result.files) say(`  ${file}`);
}

/** Prints what the month watch found: flagged towns with their explanation, the sample, the report. */
export function printWatchSummary(result: RunMonthResult, say: (line: string) => void): void {
  say('');
  say(`month ${result.month}: ${result.state}`);
  const anomalies = result.anomalies;
  if (anomalies === undefined) say('  no anomalies.csv was written (see the lines above)');
  else {
    const flagged = anomalies.rows.filter((r) => r.flagged);
    say(
      `  anomalies: ${flagged.length} flagged of ${anomalies.rows.length} (town, metric), history ${anomalies.historyMonths} months`,
    );
    if (anomalies.note) say(`  ${anomalies.note}`);
    for (const row of flagged) say(`  ! ${row.town} ${row.metric}: ${row.explanation}`);
  }
  say('');
  say(`outputs in ${result.outDir}:`);
  for (const file of result.files) say(`  ${file}`);
}
