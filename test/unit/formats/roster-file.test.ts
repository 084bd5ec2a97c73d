import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { fileKind, MAX_FILE_BYTES, RESTART, readRecords } from '#formats/roster-file.ts';
import { UnreadableFileError } from '#formats/unreadable-file-error.ts';
import { allRecords, readError, streamOf, utf8 } from '../../fixtures/formats/byte-streams.ts';
import { buildXlsx } from '../../fixtures/formats/xlsx-package.ts';

/** An `open` function over fixed bytes, counting how often the file was opened. */
function opener(
  bytes: Uint8Array,
  cuts: number[] = [],
): { open: () => Promise<AsyncIterable<Uint8Array>>; opened: () => number } {
  let count = 0;
  return {
    open: async () => {
      count++;
      return streamOf(bytes, cuts);
    },
    opened: () => count,
  };
}

describe('fileKind', () => {
  it.each([
    ['roster.csv', 'csv'],
    ['ROSTER.CSV', 'csv'],
    ['incoming/2026-10/shiqi/名单.Xlsx', 'xlsx'],
    ['roster.xls', undefined],
    ['roster.csv.txt', undefined],
    ['roster', undefined],
  ])('%s → %s', (name, kind) => {
    // Act & Assess
    expect(fileKind(name)).toBe(kind);
  });
});

describe('readRecords', () => {
  it('reads a UTF-8 CSV in one pass', async () => {
    // Prepare
    const file = opener(utf8('id_number,name\n440102199001011234,张三\n'));

    // Act
    const records = await allRecords(readRecords(file.open, 'a.CSV', 40));

    // Assess
    expect(records).toEqual([
      { row: 0, fields: ['id_number', 'name'] },
      { row: 1, fields: ['440102199001011234', '张三'] },
    ]);
    expect(file.opened()).toBe(1);
  });

  it('reads a GB18030 CSV by opening it again, without RESTART when nothing was yielded yet', async () => {
    // Prepare
    const bytes = iconv.encode('身份证号,姓名\n440102199001011234,张三\n', 'gb18030');
    const file = opener(bytes);

    // Act
    const records = await allRecords(readRecords(file.open, 'a.csv', bytes.length));

    // Assess
    expect(records).toEqual([
      { row: 0, fields: ['身份证号', '姓名'] },
      { row: 1, fields: ['440102199001011234', '张三'] },
    ]);
    expect(file.opened()).toBe(2);
  });

  it('yields RESTART when the file turns out not to be UTF-8 after records were yielded', async () => {
    // Prepare
    const head = utf8('id_number,name\n440102199001011234,Zhang\n');
    const bytes = new Uint8Array([...head, ...iconv.encode('440102199001011250,张三\n', 'gb18030')]);
    const file = opener(bytes, [head.length]);

    // Act
    const records = await allRecords(readRecords(file.open, 'a.csv', bytes.length));

    // Assess
    const header = { row: 0, fields: ['id_number', 'name'] };
    const first = { row: 1, fields: ['440102199001011234', 'Zhang'] };
    expect(records).toEqual([
      header,
      first,
      RESTART,
      header,
      first,
      { row: 2, fields: ['440102199001011250', '张三'] },
    ]);
  });

  it('rejects a file that is neither UTF-8 nor GB18030', async () => {
    // Prepare
    const file = opener(new Uint8Array([0xff, 0xff, 0xff, 0xff]));

    // Act
    const error = await readError(readRecords(file.open, 'a.csv', 4));

    // Assess
    expect(error).toBeInstanceOf(UnreadableFileError);
  });

  it('gives a damaged CSV the same reason whatever the chunk size: a decoding error anywhere comes before a parse error', async () => {
    // Prepare: broken quoting on line 2; further on, bytes that are neither UTF-8 nor GB18030
    // (0xFF), or not UTF-8 but GB18030 (张三).
    const head = utf8('id_number,name\n4401,ab"c\n');
    const notDecodable = new Uint8Array([...head, ...utf8('x'.repeat(40)), 0xff, 0x0a]);
    const gb18030 = new Uint8Array([...head, ...utf8('x'.repeat(40)), ...iconv.encode('张三\n', 'gb18030')]);
    const reasons = async (bytes: Uint8Array) => {
      const found = new Set<string>();
      for (const size of [1, 2, 3, 5, 8, 13, 21, 34, 55, bytes.length]) {
        const cuts = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => i * size);
        const error = await readError(readRecords(opener(bytes, cuts).open, 'a.csv', bytes.length));
        found.add((error as UnreadableFileError).reason);
      }
      return [...found];
    };

    // Act
    const undecodable = await reasons(notDecodable);
    const quoting = await reasons(gb18030);

    // Assess
    expect(undecodable).toEqual([expect.stringContaining('neither valid UTF-8 nor valid GB18030')]);
    expect(quoting).toEqual([expect.stringMatching(/quot/)]);
  });

  it('reads an XLSX file', async () => {
    // Prepare
    const bytes = buildXlsx({
      sheets: [{ name: 'S', rows: '<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>' }],
    });

    // Act
    const records = await allRecords(readRecords(opener(bytes).open, 'a.xlsx', bytes.length));

    // Assess
    expect(records).toEqual([{ row: 0, fields: ['id'] }]);
  });

  it('yields nothing for a 0-byte file of either kind', async () => {
    // Act
    const csv = await allRecords(readRecords(opener(new Uint8Array()).open, 'a.csv', 0));
    const xlsx = await allRecords(readRecords(opener(new Uint8Array()).open, 'a.xlsx', 0));

    // Assess
    expect(csv).toEqual([]);
    expect(xlsx).toEqual([]);
  });

  it('rejects other extensions and oversize files without opening them', async () => {
    // Prepare
    const file = opener(utf8('a\n'));

    // Act
    const wrongType = await readError(readRecords(file.open, 'roster.xls', 2));
    const tooLarge = await readError(readRecords(file.open, 'roster.csv', MAX_FILE_BYTES + 1));

    // Assess
    expect(wrongType).toBeInstanceOf(UnreadableFileError);
    expect((wrongType as UnreadableFileError).reason).toContain('.csv');
    expect(tooLarge).toBeInstanceOf(UnreadableFileError);
    expect((tooLarge as UnreadableFileError).reason).toContain('512 MiB');
    expect(file.opened()).toBe(0);
  });
});
