import type { RunMonthResult } from './run-month.ts';

interface SummaryShape {
  totals?: Record<string, number | string>;
  findingsByCode?: Record<string, number>;
  checks?: { ran?: string[]; notRun?: string[] };
}

/** Prints the end-of-run table: totals, findings per code, what ran and what did not. */
export function printRunSummary(result: RunMonthResult, say: (line: string) => void): void {
  const summary = result.summary as SummaryShape;
  const t = summary.totals ?? {};
  say('');
  say(
    `month ${result.month}: ${t.acceptedBatches ?? 0} batches accepted, ${t.rejectedBatches ?? 0} rejected`,
  );
  say(
    `  valid rows ${t.validRows ?? 0}, rows with findings ${t.invalidRows ?? 0}, valid amount ${t.validAmount ?? '0.00'} yuan`,
  );
  say('');
  say('  code                   findings');
  const codes = Object.entries(summary.findingsByCode ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [code, count] of codes) say(`  ${code.padEnd(22)} ${String(count).padStart(8)}`);
  if (codes.length === 0) say('  (none)');
  say('');
  for (const check of summary.checks?.ran ?? []) say(`  ran:         ${check}`);
  for (const check of summary.checks?.notRun ?? []) say(`  not run yet: ${check}`);
  say('');
  say(`outputs in ${result.outDir}:`);
  for (const file of result.files) say(`  ${file}`);
}
