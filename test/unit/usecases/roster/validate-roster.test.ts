import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { rosterUpload, townsFile } from '#schemas/bucket-layout.ts';
import type { Finding } from '#schemas/finding.ts';
import type { UploadIdentity, ValidationOutcome } from '#usecases/ports.ts';
import { validateRoster } from '#usecases/validate-roster.ts';
import type { ValidationReport } from '#usecases/validation-report.ts';
import { buildXlsx } from '../../../fixtures/formats/xlsx-package.ts';
import {
  badCheckId,
  CHINESE_HEADER,
  csv,
  ENGLISH_HEADER,
  rosterRow,
  TOWNS_CSV,
} from '../../../support/roster-builder.ts';
import { MemoryObjectStore } from '../dataset/memory-object-store.ts';

const MONTH = '2026-10';
const NOW = '2026-10-18T09:00:00.000Z';

interface Checked {
  outcome: ValidationOutcome;
  findings: readonly Finding[];
  text: string;
  staged: boolean;
}

/** Uploads a roster into a bucket with the towns file and validates it. */
async function check(fileName: string, body: string | Uint8Array, chunkSize = 64): Promise<Checked> {
  const store = new MemoryObjectStore(chunkSize).set(townsFile.key(), TOWNS_CSV);
  const key = rosterUpload.key({ month: MONTH, batch: 'shiqi', file: fileName });
  store.set(key, body);
  const size = (store.get(key) as Uint8Array).length;
  const upload: UploadIdentity = {
    bucket: 'b',
    key,
    version: 'v1',
    month: MONTH,
    batch: 'shiqi',
    fileName,
    size,
    order: '1',
    uploadId: 'u1',
  };
  const outcome = await validateRoster(upload, { store, now: () => NOW });
  const report = JSON.parse(
    Buffer.from(store.get(outcome.reportKey) as Uint8Array).toString(),
  ) as ValidationReport;
  const text = Buffer.from(store.get(outcome.readableReportKey) as Uint8Array).toString('utf8');
  return {
    outcome,
    findings: report.findings,
    text,
    staged: outcome.stagedKey !== undefined && store.get(outcome.stagedKey) !== undefined,
  };
}

const rowCodes = (findings: readonly Finding[]) => findings.map((f) => [f.row, f.code]);

/** A roster as a town office keeps it: title, unit line, header, rows, a total line and signatures. */
function officeRoster(rows: string[][], totalAmount: string, eol = '\r\n'): string {
  const width = CHINESE_HEADER.length;
  const line = (fields: readonly string[]) => [...fields, ...Array(width - fields.length).fill('')].join(',');
  return [
    line(['三乡镇2026年10月救助资金发放花名册']),
    line(['', '', '', '', '', '', '', '', '', '单位：元']),
    line(CHINESE_HEADER),
    ...rows.map((r) => line(r)),
    line(['合计', '', '', '', totalAmount]),
    line(['制表人：张三', '', '', '审核人：李四', '', '', '日期：2026年10月18日']),
    '',
  ].join(eol);
}

describe('validateRoster on roster sheets as offices keep them (contract 2)', () => {
  it('reads a GB18030 roster with a title, a unit line, a right 合计 line and signatures', async () => {
    // Prepare: row 3 has a bad ID but a valid amount, which still counts towards the total; row 4's
    // amount is invalid and does not; the signatures below the total are no payees
    const rows = [
      rosterRow({ category: '低保', town: '石岐街道' }, 1),
      rosterRow({ amount: '650.5' }, 2),
      rosterRow({ id_number: badCheckId('19600101', 3) }, 3),
      rosterRow({ amount: '12.345' }, 4),
    ];
    const body = iconv.encode(officeRoster(rows, '3010.50'), 'gb18030');

    // Act
    const { outcome, findings, text, staged } = await check('roster.csv', body);

    // Assess
    expect(outcome).toMatchObject({
      status: 'ACCEPTED',
      encoding: 'gb18030',
      records: 4,
      validRows: 2,
      invalidRows: 2,
      validAmountFen: 183_050,
      headerLine: 3,
      totalLine: { line: 8, label: '合计', stated: '3010.50', validAmountsFen: 301_050 },
      sourceSha256: createHash('sha256').update(body).digest('hex'),
    });
    expect(outcome.fileFinding).toBeUndefined();
    expect(staged).toBe(true);
    expect(rowCodes(findings)).toEqual([
      [3, 'INVALID_ID'],
      [4, 'INVALID_AMOUNT'],
    ]);
    expect(text).toContain(
      '表头 Header: 第 3 行 line 3（其上 2 行为标题，已忽略 / the 2 lines above it ignored）',
    );
    expect(text).toContain(
      '合计行 Total line: 第 8 行 line 8：合计 stated 3,010.50；有效金额之和 valid amounts sum to 3,010.50 ✓',
    );
    expect(text).toMatch(
      /- 第 3 行 row 3（第 6 行 line 6） \[442000\*{8}\d{3}[\dX]\]: 身份证号无效 INVALID_ID/,
    );
    expect(text).toContain('- 第 4 行 row 4（第 7 行 line 7）');
  });

  it('starts again from the title when a roster turns out to be GB18030 after rows were read as UTF-8', async () => {
    // Prepare: ASCII up to the last row, whose name is GB18030
    const rows = [1, 2, 3, 4, 5, 6].map((seq) =>
      rosterRow({ name: seq === 6 ? '张六' : `Zhang ${seq}` }, seq),
    );
    const text = `Roster 2026-10,,,\n${csv(ENGLISH_HEADER, rows)}total,,,,7080.00\nsigned,,,\n`;
    const body = iconv.encode(text, 'gb18030');

    // Act
    const { outcome, findings } = await check('roster.csv', body, 64);

    // Assess
    expect(findings).toEqual([]);
    expect(outcome).toMatchObject({
      status: 'ACCEPTED',
      encoding: 'gb18030',
      records: 6,
      validRows: 6,
      headerLine: 2,
      totalLine: { line: 9, label: 'total', stated: '7080.00', validAmountsFen: 708_000 },
    });
  });

  it('rejects the whole file with TOTAL_MISMATCH naming both figures when the total is wrong', async () => {
    // Prepare
    const body = officeRoster(
      [rosterRow({}, 1), rosterRow({}, 2), rosterRow({ month: '2026-09' }, 3)],
      '3540.01',
    );

    // Act
    const { outcome, findings, text, staged } = await check('roster.csv', body);

    // Assess
    expect(outcome).toMatchObject({
      status: 'REJECTED',
      fileFinding: 'TOTAL_MISMATCH',
      validRows: 0,
      validAmountFen: 0,
    });
    expect(staged).toBe(false);
    expect(findings).toEqual([
      {
        month: MONTH,
        batch: 'shiqi',
        code: 'TOTAL_MISMATCH',
        severity: 'BLOCK',
        detail:
          `文件 incoming/${MONTH}/shiqi/roster.csv 第 7 行合计为 3540.01，有效金额之和为 3540.00，相差 0.01 / ` +
          `file incoming/${MONTH}/shiqi/roster.csv: the total line (line 7) states 3540.01, the valid amounts sum to 3540.00 (difference 0.01)`,
      },
    ]);
    expect(text).toContain(
      '合计行 Total line: 第 7 行 line 7：合计 stated 3,540.01；有效金额之和 valid amounts sum to 3,540.00 ✗ 相差 difference 0.01',
    );
    expect(text).toContain('合计金额不符 TOTAL_MISMATCH');
  });

  it('rejects a total written with a thousands separator: not the contract amount form', async () => {
    // Prepare
    const body = officeRoster([rosterRow({}, 1)], '"1,180.00"');

    // Act
    const { outcome, findings, text } = await check('roster.csv', body);

    // Assess
    expect(outcome.fileFinding).toBe('TOTAL_MISMATCH');
    expect(findings[0]?.detail).toContain('"1,180.00"');
    expect(findings[0]?.detail).toContain('1180.00');
    expect(text).toContain('✗ 合计金额 "1,180.00" 不是不超过两位小数的数字');
  });

  it('accepts a total line without an amount, and says it was not checked', async () => {
    // Act
    const { outcome, text } = await check('roster.csv', officeRoster([rosterRow({}, 1)], ''));

    // Assess
    expect(outcome.status).toBe('ACCEPTED');
    expect(text).toContain(
      '合计行 Total line: 第 5 行 line 5：合计 未填金额，未核对 / no amount stated, not checked',
    );
  });

  it('rejects with MISSING_COLUMNS a roster whose title is longer than 10 lines, saying where the header must be', async () => {
    // Prepare
    const title = Array.from({ length: 10 }, (_, i) => `说明第 ${i + 1} 行`).join('\n');
    const body = `${title}\n${csv(ENGLISH_HEADER, [rosterRow({}, 1), rosterRow({}, 2)])}`;

    // Act
    const { outcome, findings, text } = await check('roster.csv', body);

    // Assess
    expect(outcome).toMatchObject({ status: 'REJECTED', fileFinding: 'MISSING_COLUMNS', records: 12 });
    expect(outcome.headerLine).toBeUndefined();
    expect(findings).toHaveLength(1);
    expect(findings[0]?.detail).toContain('the header must be within the first 10 lines');
    expect(findings[0]?.detail).toContain('表头须在前 10 行内');
    expect(text).toContain(
      '表头 Header: 前 10 行中没有包含全部必需列的表头 / no line of the first 10 names every required column',
    );
    expect(text).not.toContain('合计行');
  });

  it('names the missing column of a header below a title, and its line', async () => {
    // Prepare
    const header = ENGLISH_HEADER.filter((c) => c !== 'town');
    const body = `花名册\n${csv(header, [rosterRow({}, 1).filter((_, i) => i !== 6)])}`;

    // Act
    const { findings } = await check('roster.csv', body);

    // Assess
    expect(findings[0]?.detail).toContain('the header in line 2 lacks required column(s): town');
  });

  it('keeps the report of a plain roster as before, with the line beside each row number', async () => {
    // Prepare
    const body = csv(ENGLISH_HEADER, [rosterRow({}, 1), rosterRow({ amount: 'x' }, 2)]);

    // Act
    const { outcome, text } = await check('roster.csv', body);

    // Assess
    expect(outcome.headerLine).toBe(1);
    expect(outcome.totalLine).toBeUndefined();
    expect(text).toContain('表头 Header: 第 1 行 line 1\n');
    expect(text).toContain('合计行 Total line: 无 none');
    expect(text).toContain('- 第 2 行 row 2（第 3 行 line 3）');
  });

  it('reads on to the end after the total line: an unreadable tail is UNREADABLE_FILE, the hash covers every byte', async () => {
    // Prepare
    const good = officeRoster([rosterRow({}, 1)], '1180.00', '\n');
    const broken = `${good}"unterminated,\n`;

    // Act
    const readable = await check('roster.csv', `${good}${'备注,,,\n'.repeat(500)}`, 17);
    const unreadable = await check('roster.csv', broken);

    // Assess
    expect(readable.outcome.status).toBe('ACCEPTED');
    expect(readable.outcome.sourceSha256).toBe(
      createHash('sha256')
        .update(`${good}${'备注,,,\n'.repeat(500)}`)
        .digest('hex'),
    );
    expect(unreadable.outcome.fileFinding).toBe('UNREADABLE_FILE');
    expect(unreadable.text).not.toMatch(/表头 Header|合计行 Total line/);
  });

  it('reads an exceljs workbook with a title, months typed as dates, a SUM total and signatures', async () => {
    // Prepare
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('2026年10月');
    sheet.addRow(['三乡镇2026年10月救助资金发放花名册']);
    sheet.mergeCells('A1:J1');
    sheet.addRow(CHINESE_HEADER);
    const rows = [rosterRow({ amount: '650.10' }, 1), rosterRow({ amount: '0.20' }, 2), rosterRow({}, 3)];
    for (const r of rows) {
      const row = sheet.addRow(
        r.map((v, i) => (i === 4 ? Number(v) : i === 5 ? new Date(Date.UTC(2026, 9, 1)) : v)),
      );
      row.getCell(6).numFmt = 'yyyy-mm';
    }
    // What Excel caches for =SUM(E3:E5) of 650.1, 0.2 and 1180: binary noise it never shows.
    const cached = 650.1 + 0.2 + 1180;
    sheet.addRow(['合计', '', '', '', { formula: 'SUM(E3:E5)', result: cached }]);
    sheet.addRow(['制表人：', '张三', '', '审核人：', '李四']);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());

    // Act
    const { outcome, findings, text } = await check('roster.xlsx', bytes);

    // Assess
    expect(String(cached)).not.toMatch(/^\d+\.\d{1,2}$/);
    expect(findings).toEqual([]);
    expect(outcome).toMatchObject({
      status: 'ACCEPTED',
      validRows: 3,
      headerLine: 2,
      totalLine: { line: 6, label: '合计', stated: '1830.3', validAmountsFen: 183_030 },
    });
    expect(text).toContain(
      '表头 Header: 工作表第 2 行 sheet row 2（其上 1 行为标题，已忽略 / the 1 sheet row above it ignored）',
    );
    expect(text).toContain(
      '合计行 Total line: 工作表第 6 行 sheet row 6：合计 stated 1,830.30；有效金额之和 valid amounts sum to 1,830.30 ✓',
    );
  });

  it('reads a hand-built workbook: inline strings, a zh-CN built-in month format in the 1904 system, a wrong month', async () => {
    // Prepare: serial 44834 is 2026-10-01 and 44803 is 2026-08-31 in the 1904 system
    const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
    const dataRow = (r: number, serial: number, seq: number) => {
      const values = rosterRow({}, seq);
      const cells = values.map((v, i) => {
        const ref = `${String.fromCharCode(65 + i)}${r}`;
        if (i === 5) return `<c r="${ref}" s="1"><v>${serial}</v></c>`;
        if (i === 4) return `<c r="${ref}"><v>${v}</v></c>`;
        return v === '' ? '' : inline(ref, v);
      });
      return `<row r="${r}">${cells.join('')}</row>`;
    };
    const bytes = buildXlsx({
      workbookProperties: 'date1904="1"',
      styles: '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="57" applyNumberFormat="1"/></cellXfs>',
      sheets: [
        {
          name: '花名册',
          rows:
            `<row r="1">${inline('A1', '花名册')}</row>` +
            `<row r="3">${CHINESE_HEADER.map((h, i) => inline(`${String.fromCharCode(65 + i)}3`, h)).join('')}</row>` +
            dataRow(4, 44834, 1) +
            dataRow(6, 44803, 2) +
            `<row r="7">${inline('A7', '总计')}<c r="E7"><f>SUM(E4:E6)</f><v>2360</v></c></row>`,
        },
      ],
    });

    // Act
    const { outcome, findings, text } = await check('roster.xlsx', bytes);

    // Assess
    expect(outcome).toMatchObject({
      status: 'ACCEPTED',
      headerLine: 3,
      validRows: 1,
      records: 2,
      blankRecords: 0,
    });
    expect(findings.map((f) => [f.row, f.code, f.detail])).toEqual([
      [3, 'WRONG_MONTH', expect.stringContaining('"2026-08"')],
    ]);
    expect(outcome.totalLine).toEqual({ line: 7, label: '总计', stated: '2360', validAmountsFen: 236_000 });
    expect(text).toContain('- 第 3 行 row 3（工作表第 6 行 sheet row 6）');
  });
});
