import { createHash } from 'node:crypto';
import { casesCsv as casesCsvText } from '#formats/cases-csv.ts';
import { casesCsv } from '#schemas/bucket-layout.ts';
import type { CaseStore, ObjectStore } from './ports.ts';

/**
 * Writes `reports/{month}/cases.csv` (issue 11, item 6): one row per case of the month as the
 * case table holds it now.
 */
export async function writeCasesCsv(
  month: string,
  deps: { store: ObjectStore; cases: CaseStore },
): Promise<{ key: string; rows: number; sha256: string }> {
  const cases = await deps.cases.listMonth(month);
  const text = casesCsvText(cases);
  const key = casesCsv.key({ month });
  await deps.store.put(key, text, 'text/csv; charset=utf-8');
  return { key, rows: cases.length, sha256: createHash('sha256').update(text).digest('hex') };
}
