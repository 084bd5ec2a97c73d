import { describe, expect, it } from 'vitest';
import { readRecords } from '#formats/roster-file.ts';
import { UnreadableFileError } from '#formats/unreadable-file-error.ts';
import { MAX_CELL_CHARS, MAX_CELL_FORMATS, XLSX_LIMITS, type XlsxLimits } from '#formats/xlsx-limits.ts';
import { xlsxRecords } from '#formats/xlsx-records.ts';
import { allRecords, readError, streamOf } from '../../fixtures/formats/byte-streams.ts';
import { xlsxBomb } from '../../fixtures/formats/xlsx-bomb.ts';
import { buildXlsx } from '../../fixtures/formats/xlsx-package.ts';

const SHEET = 'xl/worksheets/sheet1.xml';

async function reasonOf(bytes: Uint8Array, limits?: XlsxLimits): Promise<string> {
  const error = await readError(xlsxRecords(streamOf(bytes), limits ? { limits } : {}));
  expect(error).toBeInstanceOf(UnreadableFileError);
  return (error as UnreadableFileError).reason;
}

const inline = (text: string) => `<c t="inlineStr"><is><t>${text}</t></is></c>`;

/** Sets the inflated size an archive's central directory declares for `name`. */
function declareSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const bytes = zip.slice();
  const view = new DataView(bytes.buffer);
  const target = new TextEncoder().encode(name);
  for (let i = 0; i + 46 < bytes.length; i++) {
    if (view.getUint32(i, true) !== 0x02014b50) continue;
    const length = view.getUint16(i + 28, true);
    const found = bytes.subarray(i + 46, i + 46 + length);
    if (length === target.length && found.every((b, k) => b === target[k])) {
      view.setUint32(i + 24, size, true);
      return bytes;
    }
  }
  throw new Error(`no central directory entry ${name}`);
}

describe('XLSX limits', () => {
  it('refuses a sheet that inflates beyond the per-part limit, naming the part and the limit, before inflating it', async () => {
    // Prepare: 20,000 alike rows, a few KiB zipped, ~2.6 MiB inflated.
    const bomb = await xlsxBomb({ rows: 20_000, header: ['id_number', 'name'], row: ['1', '张三'] });
    const limits = { ...XLSX_LIMITS, partBytes: 1024 * 1024 };

    // Act
    const reason = await reasonOf(bomb, limits);
    const underLimit = await allRecords(xlsxRecords(streamOf(bomb), { limits: XLSX_LIMITS }));

    // Assess
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(reason).toMatch(
      /^无法读取 XLSX：部件 xl\/worksheets\/sheet1\.xml 解压后为 [\d,]+ 字节，超过每个部件 1 MiB 的上限/,
    );
    expect(reason).toContain('XLSX over a limit: part xl/worksheets/sheet1.xml inflates to');
    expect(reason).toContain('over the limit of 1 MiB per part');
    expect(underLimit).toHaveLength(20_001);
  });

  it('refuses, with the production limit of 1 GiB, a sheet that declares more, without reading on', async () => {
    // Prepare: a small workbook whose sheet claims to inflate to 1 GiB and one byte.
    const bytes = declareSize(
      buildXlsx({ sheets: [{ name: 'S', rows: `<row r="1">${inline('id_number')}</row>` }] }),
      SHEET,
      1024 ** 3 + 1,
    );
    const open = async () => streamOf(bytes);

    // Act
    const error = await readError(readRecords(open, 'roster.xlsx', bytes.length));

    // Assess
    expect((error as UnreadableFileError).reason).toContain(
      'part xl/worksheets/sheet1.xml inflates to 1,073,741,825 bytes, over the limit of 1 GiB per part',
    );
  });

  it("reads Excel's last row, 1,048,576, and refuses a row beyond it as over Excel's row limit", async () => {
    // Prepare
    const sheet = (last: number) =>
      buildXlsx({
        sheets: [
          { name: 'S', rows: `<row r="1">${inline('id_number')}</row><row r="${last}">${inline('x')}</row>` },
        ],
      });

    // Act
    const records = await allRecords(xlsxRecords(streamOf(sheet(1_048_576))));
    const reason = await reasonOf(sheet(1_048_577));

    // Assess
    expect(records.at(-1)).toEqual({ row: 1_048_575, fields: ['x'] });
    expect(reason).toBe(
      "无法读取 XLSX：工作表 xl/worksheets/sheet1.xml 超过 Excel 的 1,048,576 行上限 / XLSX over a limit: worksheet xl/worksheets/sheet1.xml goes beyond Excel's limit of 1,048,576 rows",
    );
  });

  it("refuses a cell longer than Excel's 32,767 characters, inline, in pieces or shared", async () => {
    // Prepare
    const long = 'x'.repeat(MAX_CELL_CHARS + 1);
    const inPieces = `<c t="inlineStr"><is><t>${'<![CDATA[yyyy]]>'.repeat(70_000)}</t></is></c>`;
    const withSheet = (cells: string, sharedStrings?: string[]) =>
      buildXlsx({
        sheets: [{ name: 'S', rows: `<row r="1">${inline('id_number')}</row><row r="2">${cells}</row>` }],
        ...(sharedStrings ? { sharedStrings } : {}),
      });

    // Act
    const longest = await allRecords(xlsxRecords(streamOf(withSheet(inline(long.slice(1))))));
    const reasons = [
      await reasonOf(withSheet(inline(long))),
      await reasonOf(withSheet(inPieces)),
      await reasonOf(withSheet('<c t="s"><v>0</v></c>', [`<t>${long}</t>`])),
    ];

    // Assess
    expect(longest.at(-1)).toEqual({ row: 1, fields: [long.slice(1)] });
    expect(reasons[0]).toContain(
      `a text in ${SHEET} is longer than Excel's limit of 32,767 characters per cell`,
    );
    expect(reasons[1]).toContain(`a text in ${SHEET} is longer than Excel's limit`);
    expect(reasons[2]).toContain("a text in xl/sharedStrings.xml is longer than Excel's limit");
  });

  it('refuses a shared string table over the count limit or the total length limit', async () => {
    // Prepare
    const strings = ['<t>aaaa</t>', '<t>bbbb</t>', '<t>cccc</t>'];
    const bytes = buildXlsx({
      sheets: [{ name: 'S', rows: '<row r="1"><c t="s"><v>0</v></c></row>' }],
      sharedStrings: strings,
    });

    // Act
    const atLimits = await allRecords(
      xlsxRecords(streamOf(bytes), { limits: { ...XLSX_LIMITS, sharedStrings: 3, sharedStringChars: 12 } }),
    );
    const count = await reasonOf(bytes, { ...XLSX_LIMITS, sharedStrings: 2 });
    const chars = await reasonOf(bytes, { ...XLSX_LIMITS, sharedStringChars: 11 });

    // Assess
    expect(atLimits).toEqual([{ row: 0, fields: ['aaaa'] }]);
    expect(count).toBe(
      '无法读取 XLSX：共享字符串表 xl/sharedStrings.xml 超过 2 个字符串的上限 / XLSX over a limit: shared string table xl/sharedStrings.xml holds more than the limit of 2 strings',
    );
    expect(chars).toContain('holds more than the limit of 11 characters in all');
  });

  it("reads Excel's 65,490 cell formats and refuses a styles part holding more, or a styles part over the part limit", async () => {
    // Prepare: the list of date styles is held while the sheet is read, so it must stay bounded.
    const styles = (n: number) =>
      buildXlsx({
        sheets: [{ name: 'S', rows: `<row r="1">${inline('id_number')}</row>` }],
        styles: `<cellXfs count="${n}">${'<xf numFmtId="0"/>'.repeat(n)}</cellXfs>`,
      });

    // Act
    const atLimit = await allRecords(xlsxRecords(streamOf(styles(MAX_CELL_FORMATS))));
    const over = await reasonOf(styles(MAX_CELL_FORMATS + 1));
    const overPart = await reasonOf(styles(10), { ...XLSX_LIMITS, partBytes: 256 });

    // Assess
    expect(atLimit).toEqual([{ row: 0, fields: ['id_number'] }]);
    expect(over).toBe(
      "无法读取 XLSX：样式表 xl/styles.xml 超过 Excel 的 65,490 种单元格格式上限 / XLSX over a limit: styles part xl/styles.xml holds more than Excel's limit of 65,490 cell formats",
    );
    expect(overPart).toContain('part xl/styles.xml inflates to');
  });
});
