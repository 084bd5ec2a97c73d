import { describe, expect, it } from 'vitest';
import { importedRowCount } from '#local/cli/desk-officer.ts';
import { renderDeskImportPage } from '#views/desk-cases-page.ts';

/** The import report page the desk answers, as it renders it. */
const reportPage = (applied: number) =>
  renderDeskImportPage({
    month: '2026-11',
    town: 'sanjiao',
    officer: 'sanjiao officer',
    at: '2026-12-05T10:00:00.000Z',
    fileSha256: 'a'.repeat(64),
    rows: Array.from({ length: applied }, (_, i) => ({
      row: i + 2,
      caseId: `F-${String(i).padStart(16, '0')}`,
      status: 'APPLIED' as const,
      reasons: [],
    })),
    applied,
    refused: 3,
    skipped: 7,
  });

describe('importedRowCount', () => {
  it('reads the applied count the import report page shows, not the refused or skipped ones', () => {
    expect(importedRowCount(200, reportPage(1234))).toBe(1234);
    expect(importedRowCount(200, reportPage(0))).toBe(0);
  });

  it('refuses to count an answer that is not the import report (the desk timed out, the session was refused)', () => {
    expect(() =>
      importedRowCount(500, 'approval site error: [AbortError]: The operation was aborted.'),
    ).toThrow(/HTTP 500.*AbortError/);
    expect(() => importedRowCount(200, '<p>请求被拒绝 / refused</p>')).toThrow(/did not report/);
  });
});
