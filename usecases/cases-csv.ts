import { createHash } from 'node:crypto';
import { casesCsv as casesCsvText } from '#formats/cases-csv.ts';
import { casesCsv } from '#schemas/bucket-layout.ts';
import type { CaseLine, ObjectStore } from './ports.ts';

/**
 * Writes `reports/{month}/cases.csv` (issue 11, item 6): one row per case of the month as the
 * case table holds it now (`cases`, the month's listing).
 */
export async function writeCasesCsv(
  month: string,
  cases: readonly CaseLine[],
  store: ObjectStore,
): Promise<{ key: string; rows: number; sha256: string }> {
  const text = casesCsvText(cases);
  const key = casesCsv.key({ month });
  await store.put(key, text, 'text/csv; charset=utf-8');
  return { key, rows: cases.length, sha256: createHash('sha256').update(text).digest('hex') };
}
