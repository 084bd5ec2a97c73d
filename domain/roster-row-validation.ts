import { townsFile } from '#schemas/bucket-layout.ts';
import { CATEGORIES, type CategoryCode, resolveCategory } from '#schemas/categories.ts';
import { cleanValue } from '#schemas/clean-value.ts';
import type { RowFindingCode } from '#schemas/finding-codes.ts';
import { parseRosterAmount } from '#schemas/money.ts';
import { isMonth } from '#schemas/month.ts';
import { quoteValue } from '#schemas/quote-value.ts';
import { ROSTER_COLUMN_DEFINITIONS, type RosterColumn } from '#schemas/roster-columns.ts';
import { isFormulaCharacter } from '#schemas/spreadsheet-formula.ts';
import type { StagedRosterRow } from '#schemas/staged-roster.ts';
import { idNumberProblem } from './id-number.ts';
import type { TownDirectory } from './town-directory.ts';

/** A row validation finding before it is given its month, batch, row and severity (always BLOCK). */
export interface RowFindingDraft {
  code: RowFindingCode;
  /** Short, bilingual (Chinese / English); never contains the ID number, name or account. */
  detail: string;
}

/** The outcome of validating one roster record. */
export type RowResult =
  | { kind: 'blank' }
  | { kind: 'valid'; row: StagedRosterRow }
  | {
      kind: 'invalid';
      /** The ID as given, cleaned and upper-cased (possibly invalid or empty). */
      idNumber: string;
      /** The row's category code when its category value names one. */
      category: CategoryCode | undefined;
      /** Every applicable finding, in contract order (3.2), each code at most once. */
      findings: RowFindingDraft[];
    };

/** What validating a record needs besides the record: fixed for a whole file. */
export interface RowContext {
  /** The payment month of the upload's key, `YYYY-MM`. */
  month: string;
  towns: TownDirectory;
  /** From `resolveRosterHeader`. */
  indexOf: Partial<Record<RosterColumn, number>>;
}

/** Longest name accepted, in Unicode code points (contract 2.1). */
export const MAX_NAME_LENGTH = 50;

const BLANK: RowResult = Object.freeze({ kind: 'blank' });

/** Codes and labels exactly as written resolve without case folding; the rest via `resolveCategory`. */
const categoryAsWritten = new Map<string, CategoryCode>(
  CATEGORIES.flatMap((c) => [c.code, ...c.labels].map((v) => [v, c.code] as const)),
);

const REQUIRED = ROSTER_COLUMN_DEFINITIONS.filter((c) => c.required).map((c) => ({
  name: c.name,
  chinese: c.aliases[0] ?? c.name,
}));

let checkedMonth = '';

/**
 * Validates one roster record (contract 2.1, 3.2).
 *
 * - Values are cleaned (see `cleanValue`); fields missing because the record is short are empty,
 *   and so is a column absent from the header.
 * - A record whose recognised fields (the ten roster columns) are all empty is `blank`: it is
 *   skipped and keeps its number. Fields of unknown columns and beyond the header are ignored
 *   (contract 2), so a record holding only, say, a serial number in an extra column is blank.
 * - Otherwise the row gets every finding that applies, in contract order: `INVALID_ID`, one
 *   `MISSING_FIELD` naming every empty required field, `INVALID_NAME` (over 50 code points — a
 *   rare CJK character outside the BMP is one character to the officer, two UTF-16 units —, a
 *   first character `=`, `+`, `-` or `@` after trimming, or a control character inside),
 *   `INVALID_AMOUNT`, `UNKNOWN_CATEGORY`, `UNKNOWN_TOWN`, `INVALID_ACCOUNT` (10–25 ASCII digits;
 *   spaces or dashes inside are not digits), `WRONG_MONTH`. Those other than `MISSING_FIELD`
 *   judge only non-empty values.
 * - `WRONG_MONTH` compares the cleaned value with the key's month exactly: the contract writes
 *   months as `YYYY-MM`, so `2026-9`, `2026/10` and `2026年10月` are not `2026-10`.
 * - `account_holder_id` and `remark` are optional and not validated; `account_holder_id` is
 *   upper-cased like the ID so a lower-case `x` does not make it differ from `id_number`.
 *
 * A valid row is staged with the upper-cased ID, the category and town codes and the amount in
 * fen. Allocates nothing but the result for a clean valid row.
 * @param row 1-based record number after the header.
 * @throws RangeError when `ctx.month` is not `YYYY-MM`.
 */
export function validateRosterRecord(fields: readonly string[], row: number, ctx: RowContext): RowResult {
  if (ctx.month !== checkedMonth) {
    if (!isMonth(ctx.month)) throw new RangeError(`payment month is not YYYY-MM: "${ctx.month}"`);
    checkedMonth = ctx.month;
  }
  const ix = ctx.indexOf;
  const id = fieldAt(fields, ix.id_number);
  const name = fieldAt(fields, ix.name);
  const householdId = fieldAt(fields, ix.household_id);
  const categoryValue = fieldAt(fields, ix.category);
  const amount = fieldAt(fields, ix.amount);
  const month = fieldAt(fields, ix.month);
  const townValue = fieldAt(fields, ix.town);
  const account = fieldAt(fields, ix.account_number);
  const holderId = fieldAt(fields, ix.account_holder_id);
  const remark = fieldAt(fields, ix.remark);

  const anyRequiredEmpty =
    id === '' ||
    name === '' ||
    householdId === '' ||
    categoryValue === '' ||
    amount === '' ||
    month === '' ||
    townValue === '' ||
    account === '';
  if (
    id === '' &&
    name === '' &&
    householdId === '' &&
    categoryValue === '' &&
    amount === '' &&
    month === '' &&
    townValue === '' &&
    account === '' &&
    holderId === '' &&
    remark === ''
  ) {
    return BLANK;
  }

  let findings: RowFindingDraft[] | undefined;
  let idNumber = id;
  if (id !== '') {
    const problem = idNumberProblem(id, ctx.month);
    if (problem === undefined) {
      if (id.charCodeAt(17) === 0x78) idNumber = `${id.slice(0, 17)}X`;
    } else {
      idNumber = id.toUpperCase();
      findings = withFinding(findings, 'INVALID_ID', problem);
    }
  }
  if (anyRequiredEmpty) {
    const values: Partial<Record<RosterColumn, string>> = {
      id_number: id,
      name,
      household_id: householdId,
      category: categoryValue,
      amount,
      month,
      town: townValue,
      account_number: account,
    };
    findings = withFinding(findings, 'MISSING_FIELD', missingFieldDetail(values));
  }
  if (name !== '') {
    const problem = nameProblem(name);
    if (problem !== undefined) findings = withFinding(findings, 'INVALID_NAME', problem);
  }
  let amountFen = 0;
  if (amount !== '') {
    const parsed = parseRosterAmount(amount);
    if (parsed.ok) amountFen = parsed.fen;
    else findings = withFinding(findings, 'INVALID_AMOUNT', parsed.reason);
  }
  let category: CategoryCode | undefined;
  if (categoryValue !== '') {
    category = categoryAsWritten.get(categoryValue) ?? resolveCategory(categoryValue);
    if (category === undefined) {
      const quoted = quoteValue(categoryValue);
      findings = withFinding(
        findings,
        'UNKNOWN_CATEGORY',
        `救助类别 ${quoted} 不是有效的类别代码或名称 / category ${quoted} is not a known category code or label`,
      );
    }
  }
  let town: string | undefined;
  if (townValue !== '') {
    town = ctx.towns.resolve(townValue);
    if (town === undefined) {
      const quoted = quoteValue(townValue);
      findings = withFinding(
        findings,
        'UNKNOWN_TOWN',
        `镇街 ${quoted} 不在 ${townsFile.key()} 中 / town ${quoted} is not in ${townsFile.key()}`,
      );
    }
  }
  if (account !== '' && !isAccountNumber(account)) {
    findings = withFinding(findings, 'INVALID_ACCOUNT', accountDetail(account));
  }
  if (month !== '' && month !== ctx.month) {
    const quoted = quoteValue(month);
    findings = withFinding(
      findings,
      'WRONG_MONTH',
      `发放月份应为 ${ctx.month}，实为 ${quoted} / month should be ${ctx.month}, is ${quoted}`,
    );
  }

  if (findings === undefined && category !== undefined && town !== undefined) {
    return {
      kind: 'valid',
      row: {
        row,
        idNumber,
        name,
        householdId,
        category,
        amountFen,
        town,
        accountNumber: account,
        accountHolderId: holderId === '' ? holderId : holderId.toUpperCase(),
        remark,
      },
    };
  }
  return { kind: 'invalid', idNumber, category, findings: findings ?? [] };
}

/** Appends a finding, creating the list on the first one (a valid row allocates none). */
function withFinding(
  findings: RowFindingDraft[] | undefined,
  code: RowFindingCode,
  detail: string,
): RowFindingDraft[] {
  const list = findings ?? [];
  list.push({ code, detail });
  return list;
}

function fieldAt(fields: readonly string[], index: number | undefined): string {
  return index === undefined ? '' : cleanValue(fields[index]);
}

/** 10 to 25 ASCII digits (contract 2.1). */
function isAccountNumber(value: string): boolean {
  const length = value.length;
  if (length < 10 || length > 25) return false;
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function accountDetail(account: string): string {
  const length = codePointLength(account);
  const digitsOnly = /^\d+$/.test(account);
  return digitsOnly
    ? `收款账号须为 10–25 位数字，实为 ${length} 位 / account number must be 10 to 25 digits, has ${length}`
    : '收款账号须为 10–25 位数字，不得含其他字符 / account number must be 10 to 25 digits, nothing else';
}

function missingFieldDetail(values: Partial<Record<RosterColumn, string>>): string {
  const empty = REQUIRED.filter((c) => values[c.name] === '');
  return `缺少必填项：${empty.map((c) => c.chinese).join('、')} / empty required field(s): ${empty.map((c) => c.name).join(', ')}`;
}

/**
 * Control characters a name may not hold (contract 2.1: "tab, line breaks"): the C0 controls
 * U+0000–U+001F (tab, LF, CR among them), DEL U+007F, the C1 controls U+0080–U+009F and the
 * Unicode line and paragraph separators U+2028/U+2029 — every code a spreadsheet or a bank's
 * system may take as a cell or line break, or that no officer can see to correct.
 */
function isControlCharacter(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029;
}

/**
 * Why a cleaned, non-empty name is invalid (contract 2.1), every reason in one bilingual detail,
 * or `undefined`. Judged after trimming (contract 2), so `' =1'` begins with `=` and a tab at
 * either end is trimmed white space, not part of the name. The name itself is never repeated.
 */
function nameProblem(name: string): string | undefined {
  const first = name.charCodeAt(0);
  const formula = isFormulaCharacter(first);
  let control = -1;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (isControlCharacter(c)) {
      control = c;
      break;
    }
  }
  const length = name.length > MAX_NAME_LENGTH ? codePointLength(name) : name.length;
  if (!formula && control < 0 && length <= MAX_NAME_LENGTH) return undefined;
  const zh: string[] = [];
  const en: string[] = [];
  if (length > MAX_NAME_LENGTH) {
    zh.push(`姓名超过 ${MAX_NAME_LENGTH} 个字符（${length} 个）`);
    en.push(`name has ${length} characters, more than ${MAX_NAME_LENGTH}`);
  }
  if (formula) {
    const shown = String.fromCharCode(first);
    zh.push(`姓名以 ${shown} 开头，电子表格会当作公式`);
    en.push(`name begins with ${shown}, which a spreadsheet runs as a formula`);
  }
  if (control >= 0) {
    const code = `U+${control.toString(16).toUpperCase().padStart(4, '0')}`;
    zh.push(`姓名含控制字符 ${code}（如制表符、换行）`);
    en.push(`name contains the control character ${code} (such as a tab or line break)`);
  }
  return `${zh.join('；')} / ${en.join('; ')}`;
}

function codePointLength(value: string): number {
  let length = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // A low surrogate after a high one completes a pair already counted.
    if (c < 0xdc00 || c > 0xdfff || i === 0 || !isHighSurrogate(value.charCodeAt(i - 1))) length++;
  }
  return length;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
