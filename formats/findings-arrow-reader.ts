import { tableFromIPC } from 'apache-arrow';

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
