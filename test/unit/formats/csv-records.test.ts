import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { csvRecords } from '#formats/csv-records.ts';
import { NotUtf8Error } from '#formats/text-decoding.ts';
import { UnreadableFileError } from '#formats/unreadable-file-error.ts';
import { allRecords, readError, streamOf, utf8 } from '../../fixtures/formats/byte-streams.ts';

const ROSTER = [
  'id_number,name,remark\r\n',
  '440102199001011234,张三,"住址：""石岐"", 二楼"\r\n',
  '44010219900101123X,"李\r\n四",😀\r\n',
  '\r\n',
  '440102199001011250,王五\r\n',
].join('');

describe('csvRecords', () => {
  it('reads UTF-8 with and without BOM alike, with row numbers after a multi-line record', async () => {
    // Prepare
    const plain = utf8(ROSTER);
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...plain]);

    // Act
    const fromPlain = await allRecords(csvRecords(streamOf(plain), 'utf-8'));
    const fromBom = await allRecords(csvRecords(streamOf(withBom), 'utf-8'));

    // Assess
    expect(fromPlain).toEqual([
      { row: 0, fields: ['id_number', 'name', 'remark'] },
      { row: 1, fields: ['440102199001011234', '张三', '住址："石岐", 二楼'] },
      { row: 2, fields: ['44010219900101123X', '李\r\n四', '😀'] },
      { row: 3, fields: [''] },
      { row: 4, fields: ['440102199001011250', '王五'] },
    ]);
    expect(fromBom).toEqual(fromPlain);
  });

  it('reads GB18030 when told to', async () => {
    // Prepare
    const bytes = iconv.encode('身份证号,姓名,镇街\n440102199001011234,张三,石岐街道\n', 'gb18030');

    // Act
    const records = await allRecords(csvRecords(streamOf(bytes), 'gb18030'));

    // Assess
    expect(records).toEqual([
      { row: 0, fields: ['身份证号', '姓名', '镇街'] },
      { row: 1, fields: ['440102199001011234', '张三', '石岐街道'] },
    ]);
  });

  it('fails with NotUtf8Error on GB18030 bytes read as UTF-8', async () => {
    // Prepare
    const bytes = iconv.encode('身份证号,姓名\n', 'gb18030');

    // Act
    const error = await readError(csvRecords(streamOf(bytes), 'utf-8'));

    // Assess
    expect(error).toBeInstanceOf(NotUtf8Error);
  });

  it('rejects broken quoting and NUL bytes as unreadable', async () => {
    // Prepare
    const broken = utf8('a,b\n1,"2\n3,4\n');
    const nul = new Uint8Array([...utf8('a,b\n1,'), 0, ...utf8('\n')]);

    // Act
    const brokenError = await readError(csvRecords(streamOf(broken), 'utf-8'));
    const nulError = await readError(csvRecords(streamOf(nul), 'utf-8'));

    // Assess
    expect(brokenError).toBeInstanceOf(UnreadableFileError);
    expect((brokenError as UnreadableFileError).reason).toBe(
      '无法解析：第 2 行引号未闭合 / broken quoting: unterminated quote starting at line 2',
    );
    expect(nulError).toBeInstanceOf(UnreadableFileError);
    expect((nulError as UnreadableFileError).reason).toContain('NUL byte at line 2');
  });

  it('yields nothing for empty input and for a lone BOM', async () => {
    // Act
    const empty = await allRecords(csvRecords(streamOf(new Uint8Array()), 'utf-8'));
    const bom = await allRecords(csvRecords(streamOf(new Uint8Array([0xef, 0xbb, 0xbf])), 'utf-8'));

    // Assess
    expect(empty).toEqual([]);
    expect(bom).toEqual([]);
  });

  it('reads the same records wherever the bytes are split (in characters, in "", in CRLF)', async () => {
    // Prepare
    const utf8Bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(ROSTER)]);
    const gbBytes = iconv.encode(ROSTER.replace('😀', '备注'), 'gb18030');
    const expectedUtf8 = await allRecords(csvRecords(streamOf(utf8Bytes), 'utf-8'));
    const expectedGb = await allRecords(csvRecords(streamOf(gbBytes), 'gb18030'));
    const cuts = fc.array(fc.nat({ max: utf8Bytes.length }), { maxLength: 20 });

    // Act & Assess
    await fc.assert(
      fc.asyncProperty(cuts, async (offsets) => {
        expect(await allRecords(csvRecords(streamOf(utf8Bytes, offsets), 'utf-8'))).toEqual(expectedUtf8);
        expect(await allRecords(csvRecords(streamOf(gbBytes, offsets), 'gb18030'))).toEqual(expectedGb);
      }),
    );
    // Every single cut position too, one byte apart.
    for (let at = 1; at < utf8Bytes.length; at++) {
      expect(await allRecords(csvRecords(streamOf(utf8Bytes, [at]), 'utf-8'))).toEqual(expectedUtf8);
    }
  });
});
