import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RawRecord } from '#formats/raw-record.ts';
import { type SheetDates, SheetRowsScanner } from '#formats/sheet-rows.ts';
import { UnreadableFileError } from '#formats/unreadable-file-error.ts';

function scan(xml: string | string[], sharedStrings: string[] = [], dates?: SheetDates): RawRecord[] {
  const scanner = new SheetRowsScanner('xl/worksheets/sheet1.xml', sharedStrings, dates);
  const records: RawRecord[] = [];
  for (const chunk of typeof xml === 'string' ? [xml] : xml) {
    scanner.push(chunk);
    records.push(...scanner.take());
  }
  scanner.end();
  return [...records, ...scanner.take()];
}

function sheet(rows: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:C9"/><sheetData>${rows}</sheetData><pageMargins left="0.7"/></worksheet>`;
}

function scanError(xml: string, sharedStrings: string[] = []): unknown {
  try {
    scan(xml, sharedStrings);
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('SheetRowsScanner', () => {
  it('yields numbers exactly as stored, never through a double', () => {
    // Prepare
    const xml = sheet(
      '<row r="1"><c r="A1" t="inlineStr"><is><t>id_number</t></is></c></row>' +
        '<row r="2"><c r="A2"><v>440102199001011234</v></c><c r="B2" t="n"><v>4.40102199001011E+17</v></c>' +
        '<c r="C2" s="3"><v>46296</v></c><c r="D2"><v>0.1</v></c><c r="E2"><v>650.50</v></c></row>',
    );

    // Act
    const records = scan(xml);

    // Assess
    expect(records[1]).toEqual({
      row: 1,
      fields: ['440102199001011234', '4.40102199001011E+17', '46296', '0.1', '650.50'],
    });
  });

  it('reads shared, inline, formula, boolean and error cells', () => {
    // Prepare
    const xml = sheet(
      '<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="inlineStr"><is><r><rPr><b/></rPr><t>张</t></r><r><t xml:space="preserve"> 三 </t></r><rPh sb="0" eb="1"><t>zhang</t></rPh></is></c>' +
        '<c r="C1" t="str"><f>A1&amp;"x"</f><v>ax</v></c><c r="D1" t="b"><v>1</v></c><c r="E1" t="b"><v>0</v></c>' +
        '<c r="F1" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="G1" t="s"><v>0</v></c></row>',
    );

    // Act
    const records = scan(xml, ['zero', 'one']);

    // Assess
    expect(records).toEqual([
      { row: 0, fields: ['one', '张 三 ', 'ax', 'TRUE', 'FALSE', '#DIV/0!', 'zero'] },
    ]);
  });

  it('numbers rows from r, keeping gaps, and places cells by their column with missing ones empty', () => {
    // Prepare
    const xml = sheet(
      '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="C1" t="inlineStr"><is><t>c</t></is></c></row>' +
        '<row r="3" spans="1:3"><c r="B3"><v>2</v></c><c r="AA3"><v>27</v></c></row>' +
        '<row r="4"/>' +
        '<row r="7"><c r="A7" s="1"/><c r="B7" t="s"/></row>' +
        '<row><c><v>1</v></c><c><v>2</v></c></row>',
    );

    // Act
    const records = scan(xml);

    // Assess
    expect(records).toEqual([
      { row: 0, fields: ['a', '', 'c'] },
      { row: 2, fields: ['', '2', ...Array(24).fill(''), '27'] },
      { row: 3, fields: [] },
      { row: 6, fields: ['', ''] },
      { row: 7, fields: ['1', '2'] },
    ]);
  });

  it('puts an empty header first when the sheet has no row 1', () => {
    // Act
    const records = scan(sheet('<row r="2"><c r="A2"><v>1</v></c></row>'));

    // Assess
    expect(records).toEqual([
      { row: 0, fields: [] },
      { row: 1, fields: ['1'] },
    ]);
  });

  it('yields nothing for a sheet without rows', () => {
    // Act & Assess
    expect(scan(sheet(''))).toEqual([]);
    expect(scan('<worksheet><sheetData/></worksheet>')).toEqual([]);
  });

  it('decodes entities, CDATA, OOXML escapes and namespace prefixes', () => {
    // Prepare
    const xml =
      '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>' +
      '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>a&amp;b &lt;&#x4E2D;&#25991;&gt; &quot;q&apos;</x:t></x:is></x:c>' +
      '<x:c r="B1" t="inlineStr"><x:is><x:t><![CDATA[<raw> & ]]></x:t></x:is></x:c>' +
      '<x:c r="C1" t="inlineStr"><x:is><x:t>line_x000D_\r\nnext _x005F_x0041_</x:t></x:is></x:c>' +
      '<!-- a comment --><x:c r="D1" t="str"><x:v>tab_x0009_</x:v></x:c></x:row></x:sheetData></x:worksheet>';

    // Act
    const records = scan(xml);

    // Assess
    expect(records[0]?.fields).toEqual(['a&b <中文> "q\'', '<raw> & ', 'line\r\nnext _x0041_', 'tab\t']);
  });

  it.each([
    ['a shared string index out of range', '<row r="1"><c r="A1" t="s"><v>5</v></c></row>'],
    ['rows out of order', '<row r="2"/><row r="2"/>'],
    ['a row number that is not a number', '<row r="x"/>'],
    ['cells out of order', '<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>1</v></c></row>'],
    ['a column past XFD', '<row r="1"><c r="XFE1"><v>1</v></c></row>'],
    ['an attribute without quotes', '<row r=1/>'],
  ])('rejects %s', (_, rows) => {
    // Act
    const error = scanError(sheet(rows), ['only']);

    // Assess
    expect(error).toBeInstanceOf(UnreadableFileError);
    expect((error as UnreadableFileError).reason).toContain('corrupt XLSX');
  });

  it('rejects a truncated sheet', () => {
    // Act
    const error = scanError(`${sheet('<row r="1"><c r="A1"><v>1</v></c></row>').slice(0, -40)}<c r="B`);

    // Assess
    expect(error).toBeInstanceOf(UnreadableFileError);
  });

  it('reads the same records when a long sheet comes in large pieces split anywhere', () => {
    // Prepare
    const rows = Array.from(
      { length: 3000 },
      (_, i) =>
        `<row r="${i + 1}"><c r="A${i + 1}" t="s"><v>${i % 2}</v></c><c r="C${i + 1}"><v>4401021990${String(i).padStart(8, '0')}</v></c>` +
        `<c r="D${i + 1}" t="inlineStr"><is><t>名${i}</t></is></c><c r="E${i + 1}" t="str"><v>a&amp;${i}</v></c></row>`,
    ).join('');
    const xml = sheet(rows);
    const expected = scan(xml, ['x', 'y']);

    // Act & Assess
    fc.assert(
      fc.property(fc.array(fc.nat({ max: xml.length }), { minLength: 1, maxLength: 6 }), (offsets) => {
        const cuts = [...new Set(offsets)].sort((a, b) => a - b);
        const pieces = [0, ...cuts].map((start, i) => xml.slice(start, cuts[i] ?? xml.length));
        expect(scan(pieces, ['x', 'y'])).toEqual(expected);
      }),
      { numRuns: 30 },
    );
    expect(expected).toHaveLength(3000);
    expect(expected[2999]).toEqual({
      row: 2999,
      fields: ['y', '', '440102199000002999', '名2999', 'a&2999'],
    });
  });

  it('gives the dates of number cells with a date style and of ISO date cells, on fast and generic paths alike', () => {
    // Prepare: style 2 shows dates; the prefixed and single-quoted cells take the generic path
    const dates: SheetDates = { styles: Uint8Array.from([0, 0, 1]), system: '1900' };
    const xml = sheet(
      '<row r="1"><c r="A1" s="2"><v>46296</v></c><c r="B1" s="1"><v>46296</v></c><c r="C1"><v>46296</v></c>' +
        '<c r=\'D1\' s=\'2\'><v>46327</v></c><x:c xmlns:x="m" r="E1" s="2"><x:v>60</x:v></x:c><c r="F1" s="2" t="s"><v>0</v></c>' +
        '<c r="G1" s="2"><v>-3</v></c><c r="H1" s="2" t="d"><v>2026-10-01T08:00:00</v></c><c r="I1" t="d"><v>2026-10-02</v></c></row>' +
        '<row r="2"><c r="A2" s="2"/><c r="B2" s="abc"><v>1</v></c><c r="C2" s="2"><v>46296</v></c></row><row r="3"><c r="A3"><v>1</v></c></row>',
    );
    const expected = scan(xml, ['2026-10'], dates);

    // Act & Assess
    fc.assert(
      fc.property(fc.array(fc.nat({ max: xml.length }), { maxLength: 20 }), (offsets) => {
        const cuts = [...new Set(offsets)].sort((a, b) => a - b);
        const pieces = [0, ...cuts].map((start, i) => xml.slice(start, cuts[i] ?? xml.length));
        expect(scan(pieces, ['2026-10'], dates)).toEqual(expected);
      }),
    );
    const first: (string | undefined)[] = ['2026-10-01'];
    first[3] = '2026-11-01';
    first[4] = '1900-02-29';
    first[7] = '2026-10-01';
    first[8] = '2026-10-02';
    const second: (string | undefined)[] = [];
    second[2] = '2026-10-01';
    expect(expected).toEqual([
      {
        row: 0,
        fields: [
          '46296',
          '46296',
          '46296',
          '46327',
          '60',
          '2026-10',
          '-3',
          '2026-10-01T08:00:00',
          '2026-10-02',
        ],
        dates: first,
      },
      { row: 1, fields: ['', '1', '46296'], dates: second },
      { row: 2, fields: ['1'] },
    ]);
    expect(expected[2]).not.toHaveProperty('dates');
  });

  it('reads the same records wherever the XML text is split', () => {
    // Prepare
    const xml = sheet(
      '<row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>名&amp;字</t></is></c></row>' +
        '<row r="3"><c r="A3"><v>440102199001011234</v></c><c r="C3" t="str"><f>x</f><v><![CDATA[a]]>b</v></c></row>' +
        "<row r='4'><c r='B4' t='b'><v>1</v></c><!-- note --></row>",
    );
    const expected = scan(xml, ['id']);

    // Act & Assess
    fc.assert(
      fc.property(fc.array(fc.nat({ max: xml.length }), { maxLength: 30 }), (offsets) => {
        const cuts = [...new Set(offsets)].sort((a, b) => a - b);
        const pieces = [0, ...cuts].map((start, i) => xml.slice(start, cuts[i] ?? xml.length));
        expect(scan(pieces, ['id'])).toEqual(expected);
      }),
    );
    expect(expected).toEqual([
      { row: 0, fields: ['id', '名&字'] },
      { row: 2, fields: ['440102199001011234', '', 'ab'] },
      { row: 3, fields: ['', 'TRUE'] },
    ]);
  });
});
