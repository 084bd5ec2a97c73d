import { tableFromIPC } from 'apache-arrow';
import type { Finding } from '#schemas/finding.ts';

/** The columns of a findings row the release needs. */
export interface FindingRowRef {
  readonly batch: string;
  readonly row: number | undefined;
  readonly code: string;
  readonly severity: string;
}

/** Reads `findings.arrow` (as `findingsToArrow` wrote it) back as batch, row, code and severity. */
export function readFindingRows(bytes: Uint8Array): FindingRowRef[] {
  const rows: FindingRowRef[] = [];
  for (const batch of tableFromIPC(bytes).batches) {
    const batchColumn = batch.getChild('batch');
    const rowColumn = batch.getChild('row');
    const codeColumn = batch.getChild('code');
    const severityColumn = batch.getChild('severity');
    if (!batchColumn || !rowColumn || !codeColumn || !severityColumn) {
      throw new Error('findings.arrow lacks one of the columns batch, row, code, severity');
    }
    for (let i = 0; i < batch.numRows; i++) {
      const row = rowColumn.get(i) as number | null;
      rows.push({
        batch: String(batchColumn.get(i)),
        row: row === null ? undefined : row,
        code: String(codeColumn.get(i)),
        severity: String(severityColumn.get(i)),
      });
    }
  }
  return rows;
}

/**
 * Reads `findings.arrow` (as `findingsToArrow` wrote it) back as whole findings, in file order.
 * @throws Error when a column of the findings is missing.
 */
export function readFindings(bytes: Uint8Array): Finding[] {
  const findings: Finding[] = [];
  for (const batch of tableFromIPC(bytes).batches) {
    const columns = FINDING_COLUMNS.map((name) => batch.getChild(name));
    const [month, batchColumn, row, idNumber, category, code, severity, detail] = columns;
    if (!month || !batchColumn || !row || !idNumber || !category || !code || !severity || !detail) {
      throw new Error(`findings.arrow lacks one of the columns ${FINDING_COLUMNS.join(', ')}`);
    }
    for (let i = 0; i < batch.numRows; i++) {
      const r = row.get(i) as number | null;
      const id = idNumber.get(i) as string | null;
      const cat = category.get(i) as string | null;
      findings.push({
        month: String(month.get(i)),
        batch: String(batchColumn.get(i)),
        ...(r === null ? {} : { row: r }),
        ...(id === null ? {} : { idNumber: id }),
        ...(cat === null ? {} : { category: cat }),
        code: String(code.get(i)) as Finding['code'],
        severity: String(severity.get(i)) as Finding['severity'],
        detail: String(detail.get(i)),
      });
    }
  }
  return findings;
}

const FINDING_COLUMNS = [
  'month',
  'batch',
  'row',
  'id_number',
  'category',
  'code',
  'severity',
  'detail',
] as const;
