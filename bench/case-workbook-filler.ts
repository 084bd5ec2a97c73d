import ExcelJS from 'exceljs';
import { caseTemplateColumns } from '#local/cli/case-template-columns.ts';
import type { CaseRecord } from '#schemas/case.ts';
import { exportOpenCasesWorkbook } from '#usecases/case-workbook.ts';
import type { CaseStore } from '#usecases/ports.ts';

/** 18-character ID of the n-th case (n < 40,000), valid check character. */
function idOf(n: number): string {
  const first17 = `442000${1960 + Math.floor(n / 1000)}0101${String(n % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * (weights[i] ?? 0), 0);
  return `${first17}${'10X98765432'[sum % 11]}`;
}

/**
 * The n-th open case of a bulk-import fixture: every third a BLOCK (`AMOUNT_MISMATCH`), the
 * others REVIEW (`EMPLOYED`).
 */
export function bulkCase(month: string, town: string, n: number): CaseRecord {
  const block = n % 3 === 0;
  return {
    caseId: `F-${town}-${String(n).padStart(8, '0')}`,
    month,
    town,
    kind: 'FINDING',
    code: block ? 'AMOUNT_MISMATCH' : 'EMPLOYED',
    severity: block ? 'BLOCK' : 'REVIEW',
    idNumber: idOf(n),
    category: 'DIBAO',
    batch: town,
    row: n + 1,
    detail: `detail ${n}`,
    evidenceFingerprint: 'f'.repeat(64),
    status: 'OPEN',
    money: { overpaidFen: 0, underpaidFen: 0, wronglyPaidFen: 0, recoveredFen: 0 },
    openedAt: `${month}-28T08:00:00.000Z`,
    version: 1,
  };
}

/** What the officer fills on a case's row: a BLOCK stopped with money, a REVIEW confirmed in order. */
export function bulkOutcome(record: CaseRecord): Record<string, string> {
  const n = Number(record.caseId.slice(-8));
  return record.severity === 'BLOCK'
    ? { outcome: 'STOPPED', overpaid: `${n}.50`, recovered: '1' }
    : { outcome: 'CONFIRMED_IN_ORDER', note: `核实第 ${n} 号：公益岗在职 / public-benefit post` };
}

/**
 * The town's open cases downloaded as the XLSX template and filled in as an officer would in
 * Excel: each row by `fill` (the columns to set; `undefined` leaves the row empty).
 * @returns the workbook bytes and each case's sheet row.
 */
export async function fillCaseWorkbook(
  input: { month: string; town: string },
  deps: { cases: CaseStore },
  fill: (caseId: string) => Record<string, string> | undefined,
): Promise<{ bytes: Uint8Array; rowOf: Map<string, number> }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await exportOpenCasesWorkbook(input, deps)) as never);
  const sheet = workbook.worksheets[0];
  if (sheet === undefined) throw new Error('the template has no sheet');
  const col = caseTemplateColumns(sheet);
  const rowOf = new Map<string, number>();
  for (let r = 2; r <= sheet.rowCount; r++) {
    const caseId = String(sheet.getCell(r, col('case_id')).value ?? '');
    if (caseId === '') continue;
    rowOf.set(caseId, r);
    for (const [key, value] of Object.entries(fill(caseId) ?? {})) sheet.getCell(r, col(key)).value = value;
  }
  return { bytes: new Uint8Array(await workbook.xlsx.writeBuffer()), rowOf };
}
