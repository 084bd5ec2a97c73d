import { describe, expect, it } from 'vitest';
import type { RunMonthResult } from '#local/cli/run-month.ts';
import { printRunSummary } from '#local/cli/run-summary-table.ts';

/** The first line of the end-of-run table for a summary.json. */
function firstLine(summary: Record<string, unknown>): string {
  const lines: string[] = [];
  printRunSummary({ month: '2026-11', summary, files: [] } as unknown as RunMonthResult, (line) =>
    lines.push(line),
  );
  return lines.find((l) => l !== '') ?? '';
}

describe('printRunSummary', () => {
  it('names the expected batches not accepted, and says when none are configured', () => {
    // Act
    const missing = firstLine({
      totals: { acceptedBatches: 21, rejectedBatches: 2, missingBatches: ['sanjiao'] },
      config: { expectedBatches: ['sanjiao', 'shiqi'], expectedBatchesFrom: 'uploads of 2026-10' },
    });
    const none = firstLine({
      totals: { acceptedBatches: 21, rejectedBatches: 2, missingBatches: [] },
      config: { expectedBatches: [], expectedBatchesFrom: 'none configured' },
    });

    // Assess
    expect(missing).toBe(
      'month 2026-11: 21 batches accepted, 2 rejected, expected but not accepted: sanjiao',
    );
    expect(none).toBe('month 2026-11: 21 batches accepted, 2 rejected, no expected batches configured');
  });
});
