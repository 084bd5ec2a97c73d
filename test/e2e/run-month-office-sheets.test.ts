import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMonth } from '#local/cli/run-month.ts';
import { DATASETS } from '#schemas/datasets.ts';
import { badCheckId, CHINESE_HEADER, csv, rosterRow, TOWNS_CSV } from '../support/roster-builder.ts';

// A month of rosters as town offices keep them (contract 2): a GB18030 CSV with a title, a unit
// line, a right 合计 line and signatures; an XLSX with a title row, months typed in as dates and a
// SUM total; a CSV whose 合计 is wrong (TOTAL_MISMATCH: the whole file is rejected). The run must
// give exactly the contract's findings, release and close-out.

const MONTH = '2026-10';
let root: string;
let dataDir: string;
let out: string;

async function put(key: string, body: string | Uint8Array): Promise<void> {
  const path = join(dataDir, key);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, body);
}

const row = (seq: number, town: string, overrides: Record<string, string> = {}) =>
  rosterRow({ town, ...overrides }, seq);
const ref = (batch: string, n: number) => `${MONTH}-${batch}-${String(n).padStart(6, '0')}`;

/** A CSV roster with a title and unit line above the header, a 合计 line and signatures below. */
function officeCsv(rows: string[][], total: string): string {
  const line = (fields: readonly string[]) =>
    [...fields, ...Array(CHINESE_HEADER.length - fields.length).fill('')].join(',');
  return [
    line(['2026年10月救助资金发放花名册']),
    line(['', '', '', '', '', '', '', '', '', '单位：元']),
    line(CHINESE_HEADER),
    ...rows.map(line),
    line(['合计', '', '', '', total]),
    line(['制表人：', '', '审核人：']),
    '',
  ].join('\r\n');
}

async function officeXlsx(rows: string[][]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('东区');
  sheet.addRow(['东区街道2026年10月救助资金发放花名册']);
  sheet.mergeCells('A1:J1');
  sheet.addRow(CHINESE_HEADER);
  for (const values of rows) {
    const added = sheet.addRow(
      values.map((v, i) => (i === 4 ? Number(v) : i === 5 ? new Date(Date.UTC(2026, 9, 1)) : v)),
    );
    added.getCell(6).numFmt = 'yyyy"年"m"月"';
  }
  sheet.addRow(['合计', '', '', '', { formula: 'SUM(E3:E4)', result: 650.1 + 0.2 }]);
  sheet.addRow(['制表人：', '', '审核人：']);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'payguard-office-'));
  dataDir = join(root, 'data');
  out = join(root, 'out');
  await put('reference/towns.csv', TOWNS_CSV);
  const registered = [
    row(1, 'shiqi'),
    row(2, 'shiqi'),
    row(11, 'dongqu', { amount: '650.10' }),
    row(12, 'dongqu', { amount: '0.20' }),
    row(21, 'xiaolan'),
    row(22, 'xiaolan'),
  ];
  await put(
    'reference/registry.csv',
    csv(
      DATASETS.registry.columnNames,
      registered.map((r) => [r[0], r[1], r[2], 'DIBAO', r[4], 'ACTIVE', r[6], r[7], '', ''] as string[]),
    ),
  );
  // Row 3 has a wrong check character: INVALID_ID, but its amount is valid and in the total.
  const shiqi = [row(1, 'shiqi'), row(2, 'shiqi'), row(3, 'shiqi', { id_number: badCheckId('19600101', 3) })];
  await put(`incoming/${MONTH}/shiqi/花名册.csv`, iconv.encode(officeCsv(shiqi, '3540.00'), 'gb18030'));
  await put(
    `incoming/${MONTH}/dongqu/花名册.xlsx`,
    await officeXlsx([row(11, 'dongqu', { amount: '650.10' }), row(12, 'dongqu', { amount: '0.20' })]),
  );
  await put(
    `incoming/${MONTH}/xiaolan/roster.csv`,
    officeCsv([row(21, 'xiaolan'), row(22, 'xiaolan')], '2360.10'),
  );
  const paid = (batch: string, n: number, r: string[]) =>
    [ref(batch, n), r[7], r[4], 'SUCCESS', '', `${MONTH}-25`] as string[];
  await put(
    `bank-returns/${MONTH}/bank.csv`,
    csv(
      ['payment_ref', 'account_number', 'amount', 'status', 'reason', 'value_date'],
      [
        paid('dongqu', 1, row(11, 'dongqu', { amount: '650.10' })),
        paid('dongqu', 2, row(12, 'dongqu', { amount: '0.20' })),
        paid('shiqi', 1, row(1, 'shiqi')),
        paid('shiqi', 2, row(2, 'shiqi')),
      ],
    ),
  );
}, 60_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a month of rosters kept as offices keep them', () => {
  it('gives exactly the contract findings, releases the accepted rows and closes the month', async () => {
    // Act
    const result = await runMonth({ dataDir, month: MONTH, outDir: out, approve: 'auto' });

    // Assess: findings
    const findings = (await readFile(join(out, 'findings.csv'), 'utf8')).trim().split('\r\n').slice(1);
    const key = (f: string) =>
      f
        .split(',')
        .slice(1, 3)
        .concat(f.split(',')[5] ?? '')
        .join(' ');
    expect(findings.map(key)).toEqual([
      'shiqi 3 INVALID_ID',
      'xiaolan  TOTAL_MISMATCH',
      '  MISSING_PAYMENT',
      '  MISSING_PAYMENT',
    ]);
    expect(findings[1]).toContain(
      'the total line (line 6) states 2360.10, the valid amounts sum to 2360.00 (difference 0.10)',
    );
    // Release: the rows of the accepted files, numbered after their headers
    const release = (await readFile(join(out, 'release.csv'), 'utf8')).trim().split('\r\n').slice(1);
    expect(release.map((l) => l.split(',').slice(0, 3).join(' '))).toEqual([
      `${ref('dongqu', 1)} dongqu 1`,
      `${ref('dongqu', 2)} dongqu 2`,
      `${ref('shiqi', 1)} shiqi 1`,
      `${ref('shiqi', 2)} shiqi 2`,
    ]);
    expect(result.state).toBe('CLOSED');
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    const batches = new Map(
      (summary.batches as { batch: string; status: string; fileFinding: string | null }[]).map((b) => [
        b.batch,
        [b.status, b.fileFinding],
      ]),
    );
    expect(batches).toEqual(
      new Map([
        ['dongqu', ['ACCEPTED', null]],
        ['shiqi', ['ACCEPTED', null]],
        ['xiaolan', ['REJECTED', 'TOTAL_MISMATCH']],
      ]),
    );
    expect(summary.findingsByCode.TOTAL_MISMATCH).toBe(1);
    // The towns' reports: where the header was, the total check
    const report = (batch: string) => readFile(join(out, 'validation', `${batch}.txt`), 'utf8');
    expect(await report('shiqi')).toContain(
      '合计行 Total line: 第 7 行 line 7：合计 stated 3,540.00；有效金额之和 valid amounts sum to 3,540.00 ✓',
    );
    expect(await report('dongqu')).toContain(
      '合计行 Total line: 工作表第 5 行 sheet row 5：合计 stated 650.30；有效金额之和 valid amounts sum to 650.30 ✓',
    );
    expect(await report('xiaolan')).toContain('✗ 相差 difference 0.10');
  });
});
