import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoMonth } from '#demo/generate-month.ts';
import type { DemoManifest } from '#demo/manifest.ts';

// An independent reading of contract 2.1–3.3 (no import from the generator, domain or formats),
// used to check that the generated month is what the manifest says it is.

const MONTH = '2026-10';
const BATCH = /^[a-z0-9-]+$/;

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECKS = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

function checkCharacter(first17: string): string {
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * (WEIGHTS[i] ?? 0), 0);
  return CHECKS[sum % 11] ?? '?';
}

function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month.replace('-', '')}${String(days).padStart(2, '0')}`;
}

/** Contract 2.1: 17 digits + digit/X/x, MOD 11-2, real birth date not after the month's last day. */
function idIsValid(value: string, month = MONTH): boolean {
  if (!/^[0-9]{17}[0-9Xx]$/.test(value)) return false;
  if (checkCharacter(value.slice(0, 17)) !== value.charAt(17).toUpperCase()) return false;
  const birth = value.slice(6, 14);
  const [y, m, d] = [Number(birth.slice(0, 4)), Number(birth.slice(4, 6)), Number(birth.slice(6, 8))];
  const date = new Date(Date.UTC(y, m - 1, d));
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  return real && birth <= lastDay(month);
}

/**
 * Contract 2.1: over 50 characters, a formula-like first character (`=`, `+`, `-`, `@`), or a
 * control character (C0, DEL, C1, and the Unicode line and paragraph separators).
 */
const nameIsInvalid = (name: string) =>
  [...name].length > 50 ||
  /^[=+\-@]/.test(name) ||
  [...name].some((c) => {
    const n = c.codePointAt(0) ?? 0;
    return n < 0x20 || (n >= 0x7f && n <= 0x9f) || n === 0x2028 || n === 0x2029;
  });

const clean = (v: unknown) =>
  String(v ?? '').replace(/^[ \t\n\r\f\v\u3000\u00a0]+|[ \t\n\r\f\v\u3000\u00a0]+$/g, '');

const ALIASES: Record<string, string[]> = {
  id_number: ['身份证号', '公民身份号码'],
  name: ['姓名'],
  household_id: ['户编号', '户号'],
  category: ['救助类别', '类别'],
  amount: ['发放金额', '金额'],
  month: ['发放月份', '月份'],
  town: ['镇街'],
  account_number: ['收款账号', '账号', '社保卡号'],
  account_holder_id: ['开户人身份证号'],
  remark: ['备注'],
};
const REQUIRED = [
  'id_number',
  'name',
  'household_id',
  'category',
  'amount',
  'month',
  'town',
  'account_number',
];
const LABELS: Record<string, string[]> = {
  DIBAO: ['低保', '最低生活保障'],
  TEKUN: ['特困', '特困供养', '特困人员救助供养'],
  DIBAO_EDGE: ['低保边缘'],
  HARDSHIP: ['支出型困难'],
  TEMPORARY: ['临时救助'],
  ELDERLY: ['高龄津贴'],
  CHILD: ['困境儿童', '孤儿基本生活费'],
  DISABILITY_LIVING: ['困难残疾人生活补贴'],
  DISABILITY_CARE: ['重度残疾人护理补贴'],
};
const EXCLUSIVE = new Set(['DIBAO', 'TEKUN', 'DIBAO_EDGE', 'HARDSHIP']);

function categoryCode(value: string): string | undefined {
  for (const [code, labels] of Object.entries(LABELS)) {
    if (code === value.toUpperCase() || labels.includes(value)) return code;
  }
  return undefined;
}

function fen(value: string): number | undefined {
  const m = /^([0-9]+)(?:\.([0-9]{1,2}))?$/.exec(value);
  if (!m) return undefined;
  const result = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return result > 0 && result <= 10_000_000 ? result : undefined;
}

interface ValidRow {
  key: string;
  row: number;
  id: string;
  category: string;
  fen: number;
  town: string;
  account: string;
  name: string;
  household: string;
  holder: string;
}

interface Reading {
  fileFindings: { key: string; code: string }[];
  /** Rosters with a total line stating an amount, and the (matching) sum of their valid amounts. */
  totals: { key: string; fen: number }[];
  rowFindings: Map<string, string[]>; // "key#row" → codes
  valid: ValidRow[];
  effectiveFiles: string[];
}

function utf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** A record of a roster: `row` is its 0-based place (CSV record, XLSX sheet row − 1). */
interface SheetRecord {
  row: number;
  values: string[];
  /** Columns whose cell is a date (exceljs gives a `Date`); their value is `YYYY-MM-DD`. */
  dates: Set<number>;
}

async function sheetRecords(bytes: Buffer): Promise<SheetRecord[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('no worksheet');
  const records: SheetRecord[] = [];
  const columns = sheet.columnCount; // a getter that walks every row: read it once
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values: string[] = [];
    const dates = new Set<number>();
    for (let c = 1; c <= columns; c++) {
      const v = row.getCell(c).value;
      if (v instanceof Date) {
        dates.add(c - 1);
        values.push(v.toISOString().slice(0, 10));
      } else if (v !== null && typeof v === 'object' && 'result' in v) {
        values.push(String(v.result ?? ''));
      } else {
        // A number cell comes back as a double: String() gives its digits (the ID may have lost precision).
        values.push(v === null || v === undefined ? '' : String(v));
      }
    }
    records.push({ row: rowNumber - 1, values, dates });
  });
  return records;
}

const TOTAL_WORDS = new Set(['合计', '总计', '小计', 'total']);

/** Reads a data directory as the contract says, and validates every row of every effective file. */
async function readDataDir(dir: string, month: string): Promise<Reading> {
  const towns = parse(await readFile(join(dir, 'reference/towns.csv'), 'utf8'), { columns: true }) as Record<
    string,
    string
  >[];
  const townCodes = new Map<string, string>();
  for (const t of towns) {
    townCodes.set((t.code ?? '').toLowerCase(), t.code ?? '');
    townCodes.set(t.name ?? '', t.code ?? '');
  }
  const reading: Reading = {
    fileFindings: [],
    totals: [],
    rowFindings: new Map(),
    valid: [],
    effectiveFiles: [],
  };
  const base = join(dir, 'incoming', month);
  for (const batch of (await readdir(base)).filter((b) => BATCH.test(b)).sort()) {
    const names = (await readdir(join(base, batch))).filter((n) => !n.startsWith('.'));
    const stamped = await Promise.all(
      names.map(async (n) => ({ n, t: (await stat(join(base, batch, n))).mtimeMs })),
    );
    stamped.sort((a, b) => a.t - b.t || (a.n < b.n ? -1 : 1));
    const last = stamped.at(-1);
    if (!last) continue;
    const key = `incoming/${month}/${batch}/${last.n}`;
    reading.effectiveFiles.push(key);
    const bytes = await readFile(join(base, batch, last.n));
    let records: SheetRecord[];
    if (/\.xlsx$/i.test(last.n)) {
      records = await sheetRecords(bytes);
    } else {
      let text = bytes.includes(0) ? undefined : utf8(bytes);
      if (text === undefined && !bytes.includes(0)) {
        try {
          text = new TextDecoder('gb18030', { fatal: true }).decode(bytes);
        } catch {
          text = undefined;
        }
      }
      if (text === undefined) {
        reading.fileFindings.push({ key, code: 'UNREADABLE_FILE' });
        continue;
      }
      const rows = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
      records = rows.map((values, i) => ({ row: i, values, dates: new Set<number>() }));
    }
    // Contract 2: the header is the first of the first 10 records naming every required column.
    const columnsOf = (values: string[]) => {
      const names = values.map((h) => clean(h).toLowerCase());
      const at = new Map<string, number>();
      for (const [column, aliases] of Object.entries(ALIASES)) {
        const i = names.findIndex((h) => h === column || aliases.includes(h));
        if (i >= 0) at.set(column, i);
      }
      return at;
    };
    const headerAt = records.findIndex(
      (r) => r.row < 10 && REQUIRED.every((c) => columnsOf(r.values).has(c)),
    );
    const header = records[headerAt];
    if (header === undefined) {
      reading.fileFindings.push({ key, code: 'MISSING_COLUMNS' });
      continue;
    }
    const at = columnsOf(header.values);
    const after = records.slice(headerAt + 1);
    // The total line (first non-empty field 合计/总计/小计/total) and what follows are no data.
    const totalAt = after.findIndex((r) =>
      TOTAL_WORDS.has((r.values.map(clean).find((v) => v !== '') ?? '').toLowerCase()),
    );
    const dataRecords = (totalAt < 0 ? after : after.slice(0, totalAt))
      .filter((r) => r.values.some((v) => clean(v) !== ''))
      .map((r) => ({ ...r, row: r.row - header.row }));
    if (dataRecords.length === 0) {
      reading.fileFindings.push({ key, code: 'EMPTY_FILE' });
      continue;
    }
    const total = totalAt < 0 ? '' : clean(after[totalAt]?.values[at.get('amount') ?? -1]);
    if (total !== '') {
      const sum = dataRecords.reduce((n, r) => n + (fen(clean(r.values[at.get('amount') ?? -1])) ?? 0), 0);
      const stated = /^[0-9]+(\.[0-9]{1,2})?$/.test(total) ? Math.round(Number(total) * 100) : undefined;
      if (stated !== sum) {
        reading.fileFindings.push({ key, code: 'TOTAL_MISMATCH' });
        continue;
      }
      reading.totals.push({ key, fen: sum });
    }
    for (const { row, values, dates } of dataRecords) {
      const get = (c: string) => {
        const i = at.get(c) ?? -1;
        // Contract 2: an XLSX month date cell reads as the YYYY-MM of its date.
        return c === 'month' && dates.has(i) ? clean(values[i]).slice(0, 7) : clean(values[i]);
      };
      const codes: string[] = [];
      const id = get('id_number');
      const amount = fen(get('amount'));
      const category = categoryCode(get('category'));
      const town = townCodes.get(get('town')) ?? townCodes.get(get('town').toLowerCase());
      if (REQUIRED.some((c) => get(c) === '')) codes.push('MISSING_FIELD');
      if (id !== '' && !idIsValid(id, month)) codes.push('INVALID_ID');
      if (nameIsInvalid(get('name'))) codes.push('INVALID_NAME');
      if (get('amount') !== '' && amount === undefined) codes.push('INVALID_AMOUNT');
      if (get('category') !== '' && category === undefined) codes.push('UNKNOWN_CATEGORY');
      if (get('town') !== '' && town === undefined) codes.push('UNKNOWN_TOWN');
      if (get('account_number') !== '' && !/^[0-9]{10,25}$/.test(get('account_number')))
        codes.push('INVALID_ACCOUNT');
      if (get('month') !== '' && get('month') !== month) codes.push('WRONG_MONTH');
      if (codes.length > 0) reading.rowFindings.set(`${key}#${row}`, codes.sort());
      else {
        reading.valid.push({
          key,
          row,
          id: id.toUpperCase(),
          category: category ?? '',
          fen: amount ?? 0,
          town: town ?? '',
          account: get('account_number'),
          name: get('name'),
          household: get('household_id'),
          holder: get('account_holder_id').toUpperCase(),
        });
      }
    }
  }
  return reading;
}

// --- Contract 2.3 and 3.3, read from the files -------------------------------------------------

const CHECK_CODES = [
  'NOT_IN_REGISTRY',
  'INACTIVE_IN_REGISTRY',
  'AMOUNT_MISMATCH',
  'TOWN_MISMATCH',
  'ACCOUNT_MISMATCH',
  'NAME_MISMATCH',
  'DECEASED',
  'DIED_IN_MONTH',
  'DUPLICATE_PAYMENT',
  'EXCLUSIVE_CATEGORIES',
  'SHARED_ACCOUNT',
  'UNFILED_PROXY_ACCOUNT',
  'UNFILED_STAFF_RELATIVE',
  'BUSINESS_OWNER',
  'EMPLOYED',
  'PENSION_INCOME',
  'MISSING_PAYMENT',
];
const MEANS_TESTED = new Set(['DIBAO', 'TEKUN', 'DIBAO_EDGE', 'HARDSHIP']);

/** Contract 2.3: the columns of each register and partner folder or file. */
const PARTNER_COLUMNS: Record<string, string[]> = {
  'registers/staff-relatives.csv': [
    'staff_id',
    'staff_name',
    'relative_id_number',
    'relation',
    'filed',
    'filed_date',
  ],
  'registers/proxy-accounts.csv': ['account_number', 'payee_id_number', 'holder_id_number', 'filed_date'],
  'partners/deaths': ['id_number', 'name', 'date_of_death'],
  'partners/cremations': ['id_number', 'name', 'cremation_date', 'funeral_home'],
  'partners/business': ['id_number', 'company_name', 'credit_code', 'role', 'status'],
  'partners/social-insurance': ['id_number', 'month', 'employer', 'contribution_base', 'pension_amount'],
};

/** The records of a CSV file as objects keyed by the cleaned, lower-cased header (UTF-8 or GB18030). */
async function csvObjects(path: string): Promise<{ header: string[]; rows: Record<string, string>[] }> {
  const bytes = await readFile(path);
  const text = utf8(bytes) ?? new TextDecoder('gb18030', { fatal: true }).decode(bytes);
  const records = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
  const header = (records.shift() ?? []).map((h) => clean(h).toLowerCase());
  const rows = records
    .filter((r) => r.some((v) => clean(v) !== ''))
    .map((r) => Object.fromEntries(header.map((h, i) => [h, clean(r[i])])));
  return { header, rows };
}

/** Every CSV file of a partner folder (a folder is one dataset). */
async function partnerFolder(dir: string, folder: string): Promise<Record<string, string>[]> {
  const names = (await readdir(join(dir, folder)))
    .filter((n) => /\.csv$/i.test(n) && !n.startsWith('.'))
    .sort();
  const rows: Record<string, string>[] = [];
  for (const n of names) rows.push(...(await csvObjects(join(dir, folder, n))).rows);
  return rows;
}

function isCalendarDate(value: string): boolean {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === value;
}

const partnerFen = (value: string) => {
  const m = /^([0-9]+)(?:\.([0-9]{1,2}))?$/.exec(value);
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : undefined;
};

function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

interface CheckReading {
  counts: Record<string, number>;
  byRow: Map<string, string[]>;
  skipped: Record<string, number>;
}

/** Contract 3.3 over the valid rows of `reading` and the files of `dir`, with the default thresholds. */
async function readChecks(dir: string, month: string, reading: Reading): Promise<CheckReading> {
  const registry = (await csvObjects(join(dir, 'reference/registry.csv'))).rows;
  const staff = (await csvObjects(join(dir, 'registers/staff-relatives.csv'))).rows;
  const proxies = (await csvObjects(join(dir, 'registers/proxy-accounts.csv'))).rows;
  const deaths = await partnerFolder(dir, 'partners/deaths');
  const cremations = await partnerFolder(dir, 'partners/cremations');
  const business = await partnerFolder(dir, 'partners/business');
  const insurance = await partnerFolder(dir, 'partners/social-insurance');
  const skipped = { deaths: 0, cremations: 0, business: 0, 'social-insurance': 0 };

  const unfiled = new Set(
    staff
      .filter((r) => r.filed !== 'Y' && r.filed !== 'y')
      .map((r) => (r.relative_id_number ?? '').toUpperCase()),
  );
  const proxy = new Set(proxies.map((r) => `${r.account_number}|${(r.payee_id_number ?? '').toUpperCase()}`));
  const died = new Map<string, string>();
  for (const [rows, column, name] of [
    [deaths, 'date_of_death', 'deaths'],
    [cremations, 'cremation_date', 'cremations'],
  ] as const) {
    for (const r of rows) {
      const date = r[column] ?? '';
      if (!isCalendarDate(date)) {
        skipped[name]++;
        continue;
      }
      const id = (r.id_number ?? '').toUpperCase();
      if (!died.has(id) || date < (died.get(id) ?? '')) died.set(id, date);
    }
  }
  const active = new Set(
    business
      .filter((r) => (r.status ?? '').toUpperCase() === 'ACTIVE')
      .map((r) => (r.id_number ?? '').toUpperCase()),
  );
  const employed = new Set<string>();
  const pensioned = new Set<string>();
  for (const r of insurance) {
    const base = partnerFen(r.contribution_base ?? '');
    const pension = partnerFen(r.pension_amount ?? '');
    if (base === undefined || pension === undefined || !/^[0-9]{4}-(0[1-9]|1[0-2])$/.test(r.month ?? '')) {
      skipped['social-insurance']++;
      continue;
    }
    if (r.month !== month && r.month !== previousMonth(month)) continue;
    if (base >= 230000) employed.add((r.id_number ?? '').toUpperCase());
    if (pension >= 150000) pensioned.add((r.id_number ?? '').toUpperCase());
  }

  const inWindow = (r: Record<string, string>) =>
    (r.valid_from === '' || (r.valid_from ?? '') <= month) &&
    (r.valid_to === '' || month <= (r.valid_to ?? ''));
  const byKey = new Map(registry.map((r) => [`${r.id_number}|${r.category}`, r]));
  const rowsOfKey = new Map<string, number>();
  const exclusive = new Map<string, Set<string>>();
  const households = new Map<string, Set<string>>();
  for (const v of reading.valid) {
    rowsOfKey.set(`${v.id}|${v.category}`, (rowsOfKey.get(`${v.id}|${v.category}`) ?? 0) + 1);
    if (EXCLUSIVE.has(v.category)) exclusive.set(v.id, (exclusive.get(v.id) ?? new Set()).add(v.category));
    households.set(v.account, (households.get(v.account) ?? new Set()).add(v.household));
  }

  const counts: Record<string, number> = Object.fromEntries(CHECK_CODES.map((c) => [c, 0]));
  const byRow = new Map<string, string[]>();
  const first = `${month}-01`;
  const last = `${lastDay(month).slice(0, 4)}-${lastDay(month).slice(4, 6)}-${lastDay(month).slice(6)}`;
  for (const v of reading.valid) {
    const codes: string[] = [];
    const r = byKey.get(`${v.id}|${v.category}`);
    if (!r) codes.push('NOT_IN_REGISTRY');
    else {
      if ((r.status ?? '').toUpperCase() !== 'ACTIVE' || !inWindow(r)) codes.push('INACTIVE_IN_REGISTRY');
      if (fen(r.approved_amount ?? '') !== v.fen) codes.push('AMOUNT_MISMATCH');
      if ((r.town ?? '').toLowerCase() !== v.town) codes.push('TOWN_MISMATCH');
      if (r.account_number !== v.account) codes.push('ACCOUNT_MISMATCH');
      if (r.name !== v.name) codes.push('NAME_MISMATCH');
    }
    const death = died.get(v.id);
    if (death !== undefined && death < first) codes.push('DECEASED');
    if (death !== undefined && death >= first && death <= last) codes.push('DIED_IN_MONTH');
    if ((rowsOfKey.get(`${v.id}|${v.category}`) ?? 0) > 1) codes.push('DUPLICATE_PAYMENT');
    if (EXCLUSIVE.has(v.category) && (exclusive.get(v.id)?.size ?? 0) > 1) codes.push('EXCLUSIVE_CATEGORIES');
    const filed = proxy.has(`${v.account}|${v.id}`);
    if ((households.get(v.account)?.size ?? 0) > 1 && !filed) codes.push('SHARED_ACCOUNT');
    if (v.holder !== '' && v.holder !== v.id && !filed) codes.push('UNFILED_PROXY_ACCOUNT');
    if (unfiled.has(v.id)) codes.push('UNFILED_STAFF_RELATIVE');
    if (MEANS_TESTED.has(v.category) && active.has(v.id)) codes.push('BUSINESS_OWNER');
    if (MEANS_TESTED.has(v.category) && employed.has(v.id)) codes.push('EMPLOYED');
    if (MEANS_TESTED.has(v.category) && pensioned.has(v.id)) codes.push('PENSION_INCOME');
    for (const code of codes) counts[code] = (counts[code] ?? 0) + 1;
    if (codes.length > 0) byRow.set(`${v.key}#${v.row}`, codes.sort());
  }
  counts.MISSING_PAYMENT = registry.filter(
    (r) =>
      (r.status ?? '').toUpperCase() === 'ACTIVE' &&
      inWindow(r) &&
      !rowsOfKey.has(`${r.id_number}|${r.category}`),
  ).length;
  return { counts, byRow, skipped };
}

function countCodes(reading: Reading): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { code } of reading.fileFindings) counts[code] = (counts[code] ?? 0) + 1;
  for (const codes of reading.rowFindings.values())
    for (const code of codes) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
}

const nonZero = (counts: Record<string, number>) =>
  Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else out.push(rel);
  }
  return out.sort();
}

describe('generateDemoMonth', () => {
  let root: string;
  let dir: string;
  let manifest: DemoManifest;
  let reading: Reading;
  const file = (key: string) => join(dir, ...key.split('/'));
  const keyOf = (pattern: RegExp) => {
    const found = manifest.files.find((f) => pattern.test(f.key));
    if (!found) throw new Error(`no file matches ${pattern}`);
    return found.key;
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'payguard-demo-'));
    dir = join(root, 'a');
    manifest = await generateDemoMonth({ dir, month: MONTH });
    reading = await readDataDir(dir, MONTH);
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes 23 towns with pinyin codes, Chinese names and plausible populations', async () => {
    // Act
    const rows = parse(await readFile(join(dir, 'reference/towns.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];

    // Assess
    expect(rows).toHaveLength(23);
    expect(rows.map((r) => r.code)).toEqual(manifest.towns.map((t) => t.code));
    for (const r of rows) {
      expect(r.code).toMatch(BATCH);
      expect(r.name).toMatch(/^[\u4e00-\u9fff]+$/);
      expect(Number(r.population)).toBeGreaterThanOrEqual(50_000);
      expect(Number(r.population)).toBeLessThanOrEqual(400_000);
    }
    expect(new Set(rows.map((r) => r.code)).size).toBe(23);
    expect(rows.map((r) => r.code)).toContain('shiqi');
  });

  it('puts one batch folder per town under incoming/{month}, each holding a roster', async () => {
    // Act
    const batches = await readdir(join(dir, 'incoming', MONTH));

    // Assess
    expect(batches.filter((b) => BATCH.test(b)).sort()).toEqual(manifest.towns.map((t) => t.code).sort());
    for (const b of batches) {
      const rosters = (await readdir(join(dir, 'incoming', MONTH, b))).filter((n) =>
        /\.(csv|xlsx)$/i.test(n),
      );
      expect(rosters.length, b).toBeGreaterThanOrEqual(1);
    }
  });

  it('lists exactly the files it wrote in the manifest', async () => {
    // Act
    const written = await listFiles(dir);

    // Assess
    expect(manifest.files.map((f) => f.key).sort()).toEqual(written);
  });

  it('writes rosters of about payeesPerTown rows (±30%)', () => {
    // Arrange
    const rowsPerTown = new Map<string, number>();
    for (const v of reading.valid) rowsPerTown.set(v.key, (rowsPerTown.get(v.key) ?? 0) + 1);

    // Assess
    const accepted = [...rowsPerTown.values()];
    expect(accepted.length).toBeGreaterThanOrEqual(20);
    for (const n of accepted) {
      expect(n).toBeGreaterThanOrEqual(0.7 * 3000 - 10);
      expect(n).toBeLessThanOrEqual(1.3 * 3000);
    }
  });

  it('writes one roster in GB18030 that is not valid UTF-8', async () => {
    // Arrange
    const bytes = await readFile(file(keyOf(/gbk\.csv$/)));

    // Act
    const text = new TextDecoder('gb18030', { fatal: true }).decode(bytes);

    // Assess
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    expect(text.split(/\r\n/)[2]).toContain('身份证号');
    expect(text).toContain('刘䶮');
  });

  it('keeps the GB18030 roster and the XLSX one as offices do: a title above the header and a right 合计 line below the rows', async () => {
    // Arrange
    const gbk = keyOf(/gbk\.csv$/);
    const xlsx = keyOf(/\.xlsx$/);
    const lines = new TextDecoder('gb18030').decode(await readFile(file(gbk))).split(/\r\n/);

    // Assess
    expect(lines[0]).toMatch(/^[\u4e00-\u9fff]+2026年10月救助资金发放花名册,+$/);
    expect(lines[1]).toMatch(/^,+单位：元$/);
    expect(lines.at(-3)).toMatch(/^合计,+[0-9]+\.[0-9]{2},+$/);
    expect(lines.at(-2)).toContain('制表人：');
    expect(reading.totals.map((t) => t.key).sort()).toEqual([gbk, xlsx].sort());
    expect(reading.fileFindings.map((f) => f.code)).not.toContain('TOTAL_MISMATCH');
  });

  it('writes one roster as an XLSX workbook with text ID cells and the planted number cells', async () => {
    // Arrange
    const bytes = await readFile(file(keyOf(/\.xlsx$/)));
    const workbook = new ExcelJS.Workbook();

    // Act
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);

    // Assess
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      `${MONTH.slice(0, 4)}年${Number(MONTH.slice(5))}月发放名册`,
      '填表说明',
    ]);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('no worksheet');
    expect(sheet.getCell('A1').value).toBe(
      `古镇镇${MONTH.slice(0, 4)}年${Number(MONTH.slice(5))}月救助资金发放花名册`,
    );
    const header = (sheet.getRow(2).values as unknown[]).slice(1);
    const idColumn = header.indexOf('身份证号') + 1;
    const monthColumn = header.indexOf('发放月份') + 1;
    const kinds = { string: 0, number: 0 };
    const months = new Map<string, number>();
    sheet.eachRow((row, n) => {
      if (n <= 2) return;
      const v = row.getCell(idColumn).value;
      if (typeof v === 'number') kinds.number++;
      else if (typeof v === 'string') kinds.string++;
      const m = row.getCell(monthColumn);
      const kind = m.value instanceof Date ? `date ${m.numFmt}` : typeof m.value;
      months.set(kind, (months.get(kind) ?? 0) + 1);
    });
    expect(kinds.number).toBe(3);
    expect(kinds.string).toBeGreaterThan(1000);
    // Months typed in as Excel keeps them: dates in two formats (exceljs unescapes yyyy\-mm).
    expect(months.get('date yyyy-mm')).toBeGreaterThan(1000);
    expect(months.get('date yyyy"年"m"月"')).toBeGreaterThan(1000);
    const numberNotes = manifest.plantedRows.filter(
      (r) => r.key.endsWith('.xlsx') && /NUMBER cell/.test(r.what),
    );
    expect(numberNotes).toHaveLength(2);
    expect(
      manifest.edgeRows.filter((r) => r.key.endsWith('.xlsx') && /NUMBER cell/.test(r.what)),
    ).toHaveLength(1);
  });

  it('writes one junk .csv file with 0xFF and NUL bytes', async () => {
    // Arrange
    const bytes = await readFile(file(keyOf(/UNREADABLE|shenwan\/roster\.csv$/)));

    // Assess
    expect(bytes.includes(0x00)).toBe(true);
    expect(bytes.includes(0xff)).toBe(true);
    expect(utf8(bytes)).toBeUndefined();
  });

  it('writes an older and a newer upload in one batch folder, told apart by mtime only', async () => {
    // Arrange
    const older = keyOf(/tanzhou\/.*-roster\.csv$/);
    const newer = keyOf(/tanzhou\/.*-roster-v2\.csv$/);

    // Act
    const [a, b] = await Promise.all([stat(file(older)), stat(file(newer))]);

    // Assess
    expect(a.mtimeMs).toBeLessThan(b.mtimeMs);
    expect(newer < older).toBe(true); // by name alone the newer one would come first
    expect(reading.effectiveFiles).toContain(newer);
    expect(reading.effectiveFiles).not.toContain(older);
  });

  it('leaves a dotfile that must be ignored, newer than the roster next to it', async () => {
    // Arrange
    const dot = keyOf(/\/\.DS_Store$/);
    const folder = dot.slice(0, dot.lastIndexOf('/'));
    const roster = keyOf(new RegExp(`^${folder}/[^.].*\\.csv$`, 'i'));

    // Assess
    expect((await stat(file(dot))).mtimeMs).toBeGreaterThan((await stat(file(roster))).mtimeMs);
  });

  it('has every finding it says it planted, and no other validation finding', () => {
    // Act
    const counts = countCodes(reading);

    // Assess
    expect(nonZero(counts)).toEqual(nonZero(manifest.planted));
    expect(manifest.planted.MISSING_COLUMNS).toBe(1);
    expect(manifest.planted.UNREADABLE_FILE).toBe(1);
    for (const code of [
      'INVALID_ID',
      'MISSING_FIELD',
      'INVALID_NAME',
      'INVALID_AMOUNT',
      'UNKNOWN_CATEGORY',
      'UNKNOWN_TOWN',
      'INVALID_ACCOUNT',
      'WRONG_MONTH',
    ]) {
      expect(manifest.planted[code], code).toBeGreaterThanOrEqual(2);
    }
    const planted = new Map(manifest.plantedRows.map((r) => [`${r.key}#${r.row}`, [...r.codes].sort()]));
    expect(new Map([...reading.rowFindings])).toEqual(planted);
    expect(manifest.plantedRows.some((r) => r.codes.length >= 4)).toBe(true);
  });

  it('generates valid IDs with correct MOD 11-2 check characters, lower-case x included', () => {
    // Assess
    expect(reading.valid.length).toBeGreaterThan(50_000);
    expect(reading.valid.filter((v) => !idIsValid(v.id))).toEqual([]);
    expect(reading.valid.every((v) => /^4420[0-9]{2}$/.test(v.id.slice(0, 6)))).toBe(true);
    expect(manifest.edgeRows.some((r) => /lower-case x/.test(r.what))).toBe(true);
  });

  it('writes a registry consistent with the valid roster rows', async () => {
    // Arrange
    const registry = parse(await readFile(join(dir, 'reference/registry.csv'), 'utf8'), {
      columns: true,
    }) as Record<string, string>[];
    const byKey = new Map(registry.map((r) => [`${r.id_number}|${r.category}`, r]));
    const inWindow = (r: Record<string, string>) =>
      (r.valid_from === '' || (r.valid_from ?? '') <= MONTH) &&
      (r.valid_to === '' || MONTH <= (r.valid_to ?? ''));

    const planted = new Set(manifest.checkRows.map((r) => `${r.key}#${r.row}`));

    // Act
    const mismatches: string[] = [];
    for (const v of reading.valid) {
      if (planted.has(`${v.key}#${v.row}`)) continue;
      const r = byKey.get(`${v.id}|${v.category}`);
      if (!r) mismatches.push(`${v.key}#${v.row} not in registry`);
      else if (r.status !== 'ACTIVE' || !inWindow(r)) mismatches.push(`${v.key}#${v.row} inactive`);
      else if (fen(r.approved_amount ?? '') !== v.fen) mismatches.push(`${v.key}#${v.row} amount`);
      else if (r.town !== v.town || r.account_number !== v.account || r.name !== v.name)
        mismatches.push(`${v.key}#${v.row} details`);
    }
    // Assess
    expect(byKey.size).toBe(registry.length);
    expect(registry.filter((r) => !idIsValid(r.id_number ?? ''))).toEqual([]);
    expect(registry.filter((r) => r.status === 'ACTIVE').length / registry.length).toBeGreaterThan(0.95);
    expect(mismatches).toEqual([]);
  });

  it('plants no exclusive-category conflict and no account shared between households but on the planted rows', () => {
    // Arrange
    const planted = new Set(manifest.checkRows.map((r) => `${r.key}#${r.row}`));
    const exclusive = new Map<string, Set<string>>();
    const households = new Map<string, Set<string>>();
    for (const v of reading.valid) {
      if (planted.has(`${v.key}#${v.row}`)) continue;
      if (EXCLUSIVE.has(v.category)) exclusive.set(v.id, (exclusive.get(v.id) ?? new Set()).add(v.category));
      households.set(v.account, (households.get(v.account) ?? new Set()).add(v.household));
    }

    // Assess
    expect([...exclusive.values()].filter((s) => s.size > 1)).toEqual([]);
    expect([...households.values()].filter((s) => s.size > 1)).toEqual([]);
    expect(new Set(reading.valid.map((v) => v.household)).size).toBeLessThan(reading.valid.length * 0.8);
  });

  it('writes the register and partner files of contract 2.3 with their columns', async () => {
    // Arrange
    const keys = manifest.files.map((f) => f.key);

    // Act
    const headers = new Map<string, string[]>();
    for (const key of keys.filter((k) => /^(registers|partners)\//.test(k)))
      headers.set(key, (await csvObjects(file(key))).header);

    // Assess
    expect(keys).toEqual(
      expect.arrayContaining([
        'registers/staff-relatives.csv',
        'registers/proxy-accounts.csv',
        `partners/deaths/${MONTH}.csv`,
        `partners/deaths/${previousMonth(MONTH)}.csv`,
      ]),
    );
    for (const folder of ['partners/cremations/', 'partners/business/', 'partners/social-insurance/'])
      expect(
        keys.some((k) => k.startsWith(folder)),
        folder,
      ).toBe(true);
    for (const [key, header] of headers) {
      const columns = Object.entries(PARTNER_COLUMNS).find(([prefix]) => key.startsWith(prefix))?.[1];
      expect(columns, key).toBeDefined();
      expect(header, key).toEqual(expect.arrayContaining(columns ?? []));
    }
    const staff = (await csvObjects(file('registers/staff-relatives.csv'))).rows;
    expect(new Set(staff.map((r) => r.filed))).toEqual(new Set(['Y', 'y', 'N', '']));
    const older = await readFile(file(`partners/deaths/${previousMonth(MONTH)}.csv`));
    expect(utf8(older)).toBeUndefined();
    expect(new TextDecoder('gb18030', { fatal: true }).decode(older)).toContain('派出所');
  });

  it('plants the cases the checks are easy to get wrong', async () => {
    // Arrange
    const checks = await readChecks(dir, MONTH, reading);
    const codesOf = (v: ValidRow) => checks.byRow.get(`${v.key}#${v.row}`) ?? [];
    const proxies = (await csvObjects(file('registers/proxy-accounts.csv'))).rows;
    const staff = (await csvObjects(file('registers/staff-relatives.csv'))).rows;

    // Act
    const duplicates = reading.valid.filter((v) => codesOf(v).includes('DUPLICATE_PAYMENT'));
    const exclusive = reading.valid.filter((v) => codesOf(v).includes('EXCLUSIVE_CATEGORIES'));
    const shared = reading.valid.filter((v) => codesOf(v).includes('SHARED_ACCOUNT'));
    const batchesOf = (id: string) => new Set(duplicates.filter((d) => d.id === id).map((d) => d.key));

    // Assess: duplicates across two batches and within one
    expect(duplicates.some((d) => batchesOf(d.id).size === 2)).toBe(true);
    expect(duplicates.some((d) => batchesOf(d.id).size === 1)).toBe(true);
    // an exclusive conflict over two batches whose person also has a clean ELDERLY row
    const person = exclusive.find(
      (v) => new Set(exclusive.filter((e) => e.id === v.id).map((e) => e.key)).size === 2,
    );
    expect(reading.valid.filter((v) => v.id === person?.id && v.category === 'ELDERLY').map(codesOf)).toEqual(
      [[]],
    );
    // a shared account where one payee is exempted by the proxy register and the other is not
    const exempt = reading.valid.filter(
      (v) =>
        shared.some((s) => s.account === v.account) &&
        !codesOf(v).includes('SHARED_ACCOUNT') &&
        proxies.some((p) => p.account_number === v.account && p.payee_id_number === v.id),
    );
    expect(exempt.length).toBeGreaterThanOrEqual(1);
    // shared-account rows keep their other findings
    expect(shared.some((v) => codesOf(v).length > 1)).toBe(true);
    // a relative with one filed and one unfiled row is unfiled
    const both = staff.filter(
      (r) =>
        staff.some((o) => o.relative_id_number === r.relative_id_number && o.filed === 'Y') &&
        r.filed === 'N',
    );
    expect(both.length).toBeGreaterThanOrEqual(1);
    expect(
      reading.valid
        .filter((v) => both.some((b) => b.relative_id_number === v.id))
        .every((v) => codesOf(v).includes('UNFILED_STAFF_RELATIVE')),
    ).toBe(true);
  });

  it('plants every check of contract 3.3, and the manifest counts them exactly', async () => {
    // Act
    const checks = await readChecks(dir, MONTH, reading);

    // Assess
    expect(Object.keys(manifest.expectedChecks).sort()).toEqual([...CHECK_CODES].sort());
    for (const code of CHECK_CODES)
      expect(manifest.expectedChecks[code], code).toBeGreaterThanOrEqual(code === 'MISSING_PAYMENT' ? 1 : 2);
    expect(checks.counts).toEqual(manifest.expectedChecks);
    expect(checks.skipped).toEqual(manifest.skippedPartnerRows);
    expect(checks.skipped).toEqual({ deaths: 1, cremations: 1, business: 0, 'social-insurance': 1 });
    const listed = new Map(
      manifest.checkRows.filter((r) => r.codes.length > 0).map((r) => [`${r.key}#${r.row}`, r.codes]),
    );
    expect(checks.byRow).toEqual(listed);
  });

  it('leaves every other row clean: each row with a 3.3 finding is a planted one', () => {
    // Assess
    expect(manifest.checkRows.filter((r) => r.what === '')).toEqual([]);
    expect(manifest.checkRows.filter((r) => r.codes.length === 0).length).toBeGreaterThan(20);
    expect(manifest.checkRows.filter((r) => r.codes.length > 0 && !/[A-Z_]{6,}/.test(r.what))).toEqual([]);
  });

  it('is deterministic: the same seed gives byte-identical files and mtimes', async () => {
    // Arrange
    const again = join(root, 'b');

    // Act
    const second = await generateDemoMonth({ dir: again, month: MONTH });

    // Assess
    expect(second).toEqual(manifest);
    for (const { key } of manifest.files) {
      const [x, y] = await Promise.all([readFile(file(key)), readFile(join(again, ...key.split('/')))]);
      expect(x.equals(y), key).toBe(true);
      const [sx, sy] = await Promise.all([stat(file(key)), stat(join(again, ...key.split('/')))]);
      expect(sx.mtimeMs, key).toBe(sy.mtimeMs);
    }
  });

  it('gives other data for another seed, with the same planted counts', async () => {
    // Act
    const other = await generateDemoMonth({ dir: join(root, 'c'), month: MONTH, seed: 7 });

    // Assess
    expect(other.planted).toEqual(manifest.planted);
    const a = await readFile(join(dir, 'reference/registry.csv'));
    const b = await readFile(join(root, 'c', 'reference/registry.csv'));
    expect(a.equals(b)).toBe(false);
  });
});

describe('generateDemoMonth with fewer towns and rows', () => {
  it.each([
    [1, 40, 1],
    [3, 50, 2],
    [6, 60, 3],
    [30, 45, 4],
  ])(
    'keeps the manifest true for %i towns of about %i rows (seed %i)',
    async (towns, payeesPerTown, seed) => {
      // Arrange
      const dir = await mkdtemp(join(tmpdir(), 'payguard-demo-small-'));
      try {
        // Act
        const manifest = await generateDemoMonth({ dir, month: '2024-02', towns, payeesPerTown, seed });
        const reading = await readDataDir(dir, '2024-02');

        // Assess
        expect(manifest.towns).toHaveLength(towns);
        expect((await readdir(join(dir, 'incoming', '2024-02'))).filter((b) => BATCH.test(b))).toHaveLength(
          towns,
        );
        expect(nonZero(countCodes(reading))).toEqual(nonZero(manifest.planted));
        expect(new Map(reading.rowFindings)).toEqual(
          new Map(manifest.plantedRows.map((r) => [`${r.key}#${r.row}`, [...r.codes].sort()])),
        );
        const checks = await readChecks(dir, '2024-02', reading);
        expect(checks.counts).toEqual(manifest.expectedChecks);
        expect(checks.skipped).toEqual(manifest.skippedPartnerRows);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  it('replaces the month folder on a second run into the same directory', async () => {
    // Arrange
    const dir = await mkdtemp(join(tmpdir(), 'payguard-demo-again-'));
    try {
      await generateDemoMonth({ dir, month: MONTH, towns: 4, payeesPerTown: 40, seed: 1 });

      // Act
      const manifest = await generateDemoMonth({ dir, month: MONTH, towns: 4, payeesPerTown: 40, seed: 2 });

      // Assess
      expect(await listFiles(dir)).toEqual(manifest.files.map((f) => f.key).sort());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a malformed month', async () => {
    // Assess
    await expect(generateDemoMonth({ dir: tmpdir(), month: '2026-13' })).rejects.toThrow(/YYYY-MM/);
  });
});
