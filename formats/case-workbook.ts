import {
  BLOCK_OUTCOMES,
  CASE_VALUE_LABELS,
  type CaseRecord,
  DiscrepancyKindSchema,
  ProblemActionSchema,
  REVIEW_OUTCOMES,
  RootCauseSchema,
  VISIT_OUTCOMES,
} from '#schemas/case.ts';
import { formatFen } from '#schemas/money.ts';
import type { RawRecord } from './raw-record.ts';
import { spreadsheetShownNumber } from './shown-number.ts';
import { xlsxRecords } from './xlsx-records.ts';

/**
 * The case workbook (issue 11, item 3): a town's open cases as a template an officer fills in
 * Excel and uploads back. Sheet 1 holds one row per case — the case's columns, then the outcome
 * columns to fill; sheet 2 explains every allowed value. Columns are named `中文 / key`; the
 * reader matches the key after the `/`.
 */

/** The case's own columns (read back: only `case_id` and `version`). */
export const CASE_COLUMNS = [
  ['案件号', 'case_id'],
  ['版本', 'version'],
  ['类型', 'kind'],
  ['问题代码', 'code'],
  ['严重程度', 'severity'],
  ['身份证号', 'id_number'],
  ['救助类别', 'category'],
  ['户号', 'household_id'],
  ['名册', 'batch'],
  ['行号', 'row'],
  ['说明', 'detail'],
  ['立案时间', 'opened_at'],
] as const;

/** The columns the officer fills. */
export const OUTCOME_COLUMNS = [
  ['处理结果', 'outcome'],
  ['处置方式', 'action'],
  ['原因类别', 'root_cause'],
  ['不符类型', 'discrepancy'],
  ['走访日期', 'visit_date'],
  ['多发金额', 'overpaid'],
  ['漏发金额', 'underpaid'],
  ['错发金额', 'wrongly_paid'],
  ['追回金额', 'recovered'],
  ['备注', 'note'],
] as const;

export type OutcomeColumn = (typeof OUTCOME_COLUMNS)[number][1];

const ALL_COLUMNS = [...CASE_COLUMNS, ...OUTCOME_COLUMNS];

/** The values of sheet 2, column by column, with what each means. */
const EXPLAINED: readonly { column: string; values: readonly string[]; when: string }[] = [
  { column: 'outcome', values: REVIEW_OUTCOMES, when: '待核查问题（REVIEW）/ REVIEW findings' },
  { column: 'outcome', values: BLOCK_OUTCOMES, when: '阻断问题（BLOCK）/ BLOCK findings' },
  { column: 'outcome', values: VISIT_OUTCOMES, when: '入户核查（VISIT）/ home visits' },
  { column: 'action', values: ProblemActionSchema.options, when: 'PROBLEM_CONFIRMED 必填 / required' },
  { column: 'root_cause', values: RootCauseSchema.options, when: 'PROBLEM_CONFIRMED 必填 / required' },
  { column: 'discrepancy', values: DiscrepancyKindSchema.options, when: 'DISCREPANCY 必填 / required' },
];

/**
 * Writes the workbook of `cases` (the town's open cases): IDs whole, as text (the officer needs
 * them to find the person; Excel must not turn them into numbers), outcome columns empty, a
 * drop-down of the allowed values on each choice column.
 */
export async function writeCaseWorkbook(cases: readonly CaseRecord[], title: string): Promise<Uint8Array> {
  // Loaded when a workbook is written, not with the module: exceljs and its zip libraries take
  // ~0.6 s to import, which every cold start of the town desk (and the local CLI) paid before.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'payguard';
  const sheet = workbook.addWorksheet('案件 Cases', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = ALL_COLUMNS.map(([zh, key]) => ({
    header: `${zh} / ${key}`,
    key,
    width: key === 'detail' ? 60 : key === 'id_number' ? 22 : 16,
    style: { numFmt: '@' },
  }));
  for (const c of cases) {
    sheet.addRow({
      case_id: c.caseId,
      version: String(c.version),
      kind: c.kind,
      code: c.code,
      severity: c.severity ?? '',
      id_number: c.idNumber,
      category: c.category,
      household_id: c.householdId ?? '',
      batch: c.batch ?? '',
      row: c.row === undefined ? '' : String(c.row),
      detail: c.detail,
      opened_at: c.openedAt,
    });
  }
  const lists: Partial<Record<OutcomeColumn, readonly string[]>> = {
    outcome: [...REVIEW_OUTCOMES, ...BLOCK_OUTCOMES, ...VISIT_OUTCOMES],
    action: ProblemActionSchema.options,
    root_cause: RootCauseSchema.options,
    discrepancy: DiscrepancyKindSchema.options,
  };
  for (const [key, values] of Object.entries(lists)) {
    const column = sheet.getColumn(key);
    for (let row = 2; row <= cases.length + 1; row++) {
      sheet.getCell(row, column.number).dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: [`"${values?.join(',')}"`],
      };
    }
  }
  sheet.getRow(1).font = { bold: true };

  const help = workbook.addWorksheet('说明 Help');
  help.columns = [
    { header: '列 / column', key: 'column', width: 16 },
    { header: '可填值 / value', key: 'value', width: 26 },
    { header: '含义 / meaning', key: 'meaning', width: 44 },
    { header: '适用 / applies to', key: 'when', width: 36 },
  ];
  help.addRow({ column: title });
  for (const { column, values, when } of EXPLAINED) {
    for (const value of values) {
      const label = CASE_VALUE_LABELS[value];
      help.addRow({ column, value, meaning: label ? `${label.zh} / ${label.en}` : value, when });
    }
  }
  help.addRow({
    column: 'visit_date',
    value: 'YYYY-MM-DD',
    meaning: '入户日期 / the visit date',
    when: '入户核查必填 / required for home visits',
  });
  for (const key of ['overpaid', 'underpaid', 'wrongly_paid', 'recovered']) {
    help.addRow({
      column: key,
      value: '0.00',
      meaning: '元，最多两位小数，可空 / yuan, at most 2 decimals, may be empty',
      when: `追回不超过多发与错发之和 / recovered ≤ over-paid + paid wrongly (e.g. ${formatFen(118000)})`,
    });
  }
  help.addRow({
    column: 'note',
    value: '',
    meaning: 'CONFIRMED_IN_ORDER 必须说明 / a note is required for CONFIRMED_IN_ORDER',
    when: '不填处理结果的行不处理 / rows without an outcome are left as they are',
  });
  help.getRow(1).font = { bold: true };
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** One filled row of the workbook, as the officer left it. */
export interface CaseWorkbookRow {
  /** The sheet row number the officer sees in Excel. */
  readonly sheetRow: number;
  readonly caseId: string;
  readonly version: string;
  /** The outcome columns (trimmed; a date cell of `visit_date` as `YYYY-MM-DD`, numbers as Excel shows them). */
  readonly values: Readonly<Record<OutcomeColumn, string>>;
}

/** The workbook read back, or why it cannot be. */
export type CaseWorkbookRead =
  | { readonly ok: true; readonly rows: readonly CaseWorkbookRow[] }
  | { readonly ok: false; readonly reason: string };

const keyOf = (header: string) => {
  const slash = header.lastIndexOf('/');
  return (slash >= 0 ? header.slice(slash + 1) : header).trim().toLowerCase();
};

/**
 * Reads the first sheet of a filled case workbook with the project's XLSX reader: the header is
 * the first row, `case_id` and the outcome columns must be there; rows without a case id are
 * skipped (blank lines, notes).
 */
export async function readCaseWorkbook(bytes: Uint8Array): Promise<CaseWorkbookRead> {
  const records: RawRecord[] = [];
  try {
    for await (const batch of xlsxRecords(
      (async function* () {
        yield bytes;
      })(),
      { sizeHint: bytes.length },
    )) {
      records.push(...batch);
    }
  } catch (error) {
    return {
      ok: false,
      reason: `无法读取该文件（须为下载的 .xlsx 模板）/ the file cannot be read as the downloaded .xlsx template (${(error as Error).message})`,
    };
  }
  const [header, ...data] = records;
  const index = new Map((header?.fields ?? []).map((h, i) => [keyOf(h), i]));
  const missing = ['case_id', 'version', ...OUTCOME_COLUMNS.map(([, key]) => key)].filter(
    (k) => !index.has(k),
  );
  if (header === undefined || missing.length > 0) {
    return {
      ok: false,
      reason: `模板缺少列：${missing.join('、')} / the template lacks the column(s): ${missing.join(', ')}`,
    };
  }
  const cell = (record: RawRecord, key: string) => {
    const i = index.get(key);
    if (i === undefined) return '';
    const date = record.dates?.[i];
    if (date !== undefined) return date;
    return spreadsheetShownNumber((record.fields[i] ?? '').trim());
  };
  const rows: CaseWorkbookRow[] = [];
  for (const record of data) {
    const caseId = cell(record, 'case_id');
    if (caseId === '') continue;
    rows.push({
      sheetRow: record.row + 1,
      caseId,
      version: cell(record, 'version'),
      values: Object.fromEntries(OUTCOME_COLUMNS.map(([, key]) => [key, cell(record, key)])) as Record<
        OutcomeColumn,
        string
      >,
    });
  }
  return { ok: true, rows };
}
