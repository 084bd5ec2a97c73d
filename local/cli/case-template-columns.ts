import type ExcelJS from 'exceljs';

/**
 * Where each column of the case template is, as an officer's tool finds it: the header row holds
 * bilingual labels (`中文 / key`), and a column is found by its key after the last `/`.
 * @returns the column number of `key` (ExcelJS row values are 1-based), or -1 when absent.
 */
export function caseTemplateColumns(sheet: ExcelJS.Worksheet): (key: string) => number {
  const header = (sheet.getRow(1).values as unknown[]).map((v) =>
    String(v ?? '')
      .split('/')
      .at(-1)
      ?.trim(),
  );
  return (key) => header.indexOf(key);
}
