/**
 * A town's roster as CSV text, the way its office writes it (see `file-profiles.ts`): headers in
 * English or Chinese, columns reordered, a serial or phone column added, quoting, line ends.
 */
import { ROSTER_COLUMNS } from '#schemas/roster-columns.ts';
import type { Column, Profile, Row, TownPlan } from './model.ts';
import { yuanFixed } from './people.ts';
import { MISSING_COLUMN } from './planters/file-findings.ts';
import {
  rosterTitle,
  signatureFields,
  statedTotalFen,
  TOTAL_LABEL,
  UNIT_LINE,
} from './roster-sheet-lines.ts';

/** The header of each contract column in each header style. */
export const HEADERS: Record<Profile['header'], Record<Column, string>> = {
  en: {
    id_number: 'id_number',
    name: 'name',
    household_id: 'household_id',
    category: 'category',
    amount: 'amount',
    month: 'month',
    town: 'town',
    account_number: 'account_number',
    account_holder_id: 'account_holder_id',
    remark: 'remark',
  },
  'en-caps': {
    id_number: ' ID_Number',
    name: 'Name ',
    household_id: 'Household_ID',
    category: 'CATEGORY',
    amount: 'Amount',
    month: 'Month',
    town: 'Town',
    account_number: 'Account_Number',
    account_holder_id: 'Account_Holder_Id',
    remark: 'Remark',
  },
  zh: {
    id_number: '身份证号',
    name: '姓名',
    household_id: '户编号',
    category: '救助类别',
    amount: '发放金额',
    month: '发放月份',
    town: '镇街',
    account_number: '收款账号',
    account_holder_id: '开户人身份证号',
    remark: '备注',
  },
  'zh-alt': {
    id_number: '公民身份号码',
    name: '姓名',
    household_id: '户号',
    category: '类别',
    amount: '金额',
    month: '月份',
    town: '镇街',
    account_number: '社保卡号',
    account_holder_id: '开户人身份证号',
    remark: '备注',
  },
};

/** A column as written: its header and its value on a row (`rowNo` counts rows, not blank records). */
export interface OutColumn {
  header: string;
  value: (row: Row, rowNo: number) => string;
}

/** The columns of the town's roster file, in order. */
export function columnsFor(plan: TownPlan): OutColumn[] {
  const p = plan.profile;
  const names = HEADERS[p.header];
  let order: Column[] = [...ROSTER_COLUMNS];
  if (p.reorder)
    order = [
      'name',
      'id_number',
      'town',
      'household_id',
      'category',
      'month',
      'amount',
      'account_number',
      'account_holder_id',
      'remark',
    ];
  order = order.filter(
    (c) =>
      (c !== 'account_holder_id' || p.holder) &&
      (c !== 'remark' || p.remark) &&
      (c !== MISSING_COLUMN || plan.role !== 'missingColumns'),
  );
  const columns: OutColumn[] = order.map((c) => ({ header: names[c], value: (row) => row.values[c] }));
  if (p.serial)
    columns.unshift({
      header: p.header.startsWith('en') ? 'No' : '序号',
      value: (_row, rowNo) => String(rowNo),
    });
  if (p.phone) {
    columns.splice(3, 0, {
      header: p.header.startsWith('en') ? 'phone' : '联系电话',
      value: (row) => `13${row.entry.person.account.slice(-9)}`,
    });
  }
  return columns;
}

/** A value that RFC 4180 quotes. */
export const needsQuotes = /[",\r\n]/;

/** A value quoted per RFC 4180 when it needs to be. */
export const quotedIfNeeded = (v: string) => (needsQuotes.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** One CRLF-terminated CSV record of the demonstration's own files (bank returns, indicators). */
export const csvRecord = (values: readonly (string | number | undefined)[]) =>
  `${values.map((v) => quotedIfNeeded(String(v ?? ''))).join(',')}\r\n`;

/**
 * The roster file's text: header, rows and blank records; for a profile with `sheetTitle`, a title
 * and a unit line above the header and, after the rows, the 合计 line and the line to sign.
 */
export function csvText(plan: TownPlan, month: string): string {
  const columns = columnsFor(plan);
  const { eol, quoteAll } = plan.profile;
  const q = (v: string) => (quoteAll || needsQuotes.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  /** A line of the sheet's width with `values` at the given columns (an office's CSV export). */
  const spread = (values: Record<number, string>) => columns.map((_, i) => q(values[i] ?? '')).join(',');
  const lines: string[] = [];
  if (plan.profile.sheetTitle) {
    lines.push(spread({ 0: rosterTitle(plan, month) }), spread({ [columns.length - 1]: UNIT_LINE }));
  }
  lines.push(columns.map((c) => q(c.header)).join(','));
  let serial = 0;
  for (const rec of plan.recs) {
    if (rec.kind === 'blank') {
      lines.push(rec.style === 'empty' ? '' : ','.repeat(columns.length - 1));
      continue;
    }
    serial++;
    lines.push(columns.map((c) => q(c.value(rec, serial))).join(','));
  }
  if (plan.profile.sheetTitle) {
    const amountAt = columns.findIndex((c) => c.header === HEADERS[plan.profile.header].amount);
    lines.push(spread({ 0: TOTAL_LABEL, [amountAt]: yuanFixed(statedTotalFen(plan)) }));
    const [preparer, reviewer, head, date] = signatureFields(month);
    lines.push(
      spread({ 0: preparer ?? '', 3: reviewer ?? '', 6: head ?? '', [columns.length - 2]: date ?? '' }),
    );
  }
  return lines.join(eol) + eol;
}

/** UTF-8 bytes, with a byte order mark when `bom`. */
export function encodeUtf8(text: string, bom: boolean): Uint8Array {
  const body = Buffer.from(text, 'utf8');
  return bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}
