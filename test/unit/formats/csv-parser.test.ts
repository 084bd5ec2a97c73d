import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvParser, MAX_RECORD_CHARS } from '#formats/csv-parser.ts';
import type { RawRecord } from '#formats/raw-record.ts';
import { UnreadableFileError } from '#formats/unreadable-file-error.ts';

function parse(...chunks: string[]): RawRecord[] {
  const parser = new CsvParser();
  const records = chunks.flatMap((chunk) => parser.push(chunk));
  return [...records, ...parser.end()];
}

function fields(...chunks: string[]): string[][] {
  return parse(...chunks).map((record) => record.fields);
}

function parseError(text: string): UnreadableFileError {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof UnreadableFileError) return error;
    throw error;
  }
  throw new Error('expected UnreadableFileError');
}

/** Cuts a text at the given offsets. */
function cut(text: string, offsets: number[]): string[] {
  const sorted = [...new Set(offsets.map((o) => o % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let start = 0;
  for (const offset of sorted) {
    pieces.push(text.slice(start, offset));
    start = offset;
  }
  pieces.push(text.slice(start));
  return pieces;
}

describe('CsvParser', () => {
  it('numbers the header 0 and the records after it from 1', () => {
    // Prepare
    const text = 'id,name\n1,a\n2,b\n';

    // Act
    const records = parse(text);

    // Assess
    expect(records).toEqual([
      { row: 0, fields: ['id', 'name'] },
      { row: 1, fields: ['1', 'a'] },
      { row: 2, fields: ['2', 'b'] },
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks, counting a multi-line record once', () => {
    // Prepare
    const text = 'a,b\n"x, y","say ""hi"""\n"line 1\nline 2\r\nline 3",z\nlast,"" \n';

    // Act
    const records = parse(text.replace('"" \n', '""\n'));

    // Assess
    expect(records).toEqual([
      { row: 0, fields: ['a', 'b'] },
      { row: 1, fields: ['x, y', 'say "hi"'] },
      { row: 2, fields: ['line 1\nline 2\r\nline 3', 'z'] },
      { row: 3, fields: ['last', ''] },
    ]);
  });

  it('accepts CRLF, LF and lone CR line ends, and a last record without one', () => {
    // Act
    const result = fields('h1,h2\r\na,b\r\nc,d\ne,f\rg,h');

    // Assess
    expect(result).toEqual([
      ['h1', 'h2'],
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
      ['g', 'h'],
    ]);
  });

  it('keeps fields raw: white space untrimmed, fewer or extra fields as given', () => {
    // Act
    const result = fields('a,b,c\n x , y\n1,2,3,4,5\n,,\n');

    // Assess
    expect(result).toEqual([
      ['a', 'b', 'c'],
      [' x ', ' y'],
      ['1', '2', '3', '4', '5'],
      ['', '', ''],
    ]);
  });

  it('keeps blank records with their number, including a blank header', () => {
    // Act
    const records = parse('\n\na,b\n\r\n');

    // Assess
    expect(records).toEqual([
      { row: 0, fields: [''] },
      { row: 1, fields: [''] },
      { row: 2, fields: ['a', 'b'] },
      { row: 3, fields: [''] },
    ]);
  });

  it('yields nothing for empty text and one record for a line without line end', () => {
    // Act & Assess
    expect(parse('')).toEqual([]);
    expect(parse('a')).toEqual([{ row: 0, fields: ['a'] }]);
    expect(parse('a,')).toEqual([{ row: 0, fields: ['a', ''] }]);
    expect(parse('""')).toEqual([{ row: 0, fields: [''] }]);
  });

  it.each([
    ['a quote inside an unquoted field', 'h\nab"c\n', 'a quote inside an unquoted field at line 2'],
    ['a field starting with a space then a quote', 'h\n "x"\n', 'a quote inside an unquoted field at line 2'],
    ['text after a closing quote', 'h\n"x"y,z\n', 'text after a closing quote at line 2'],
    ['an unterminated quote', 'h\n1,2\n"open,\nmore\n', 'unterminated quote starting at line 3'],
    ['a NUL byte', 'h\n1,\u0000\n', 'NUL byte at line 2'],
    ['a NUL byte in a quoted field', 'h\n"a\n\u0000"\n', 'NUL byte at line 3'],
    ['a NUL byte after a closing quote', 'h\n"a"\u0000\n', 'NUL byte at line 2'],
  ])('rejects %s with the line number', (_, text, english) => {
    // Act
    const error = parseError(text);

    // Assess
    expect(error.name).toBe('UnreadableFileError');
    expect(error.reason).toContain(english);
    expect(error.reason).toMatch(/^无法解析：第 \d+ 行.+ \/ /);
  });

  it('counts lines in quoted fields with CRLF, LF and CR for error line numbers', () => {
    // Prepare
    const text = 'h\r\n"a\r\nb\nc\rd",e\r\nx"y\r\n';

    // Act
    const errors = Array.from({ length: text.length + 1 }, (_, at) => {
      try {
        const parser = new CsvParser();
        parser.push(text.slice(0, at));
        parser.push(text.slice(at));
        parser.end();
        return 'no error';
      } catch (error) {
        return (error as UnreadableFileError).reason;
      }
    });

    // Assess
    expect([...new Set(errors)]).toEqual([
      '无法解析：第 6 行未加引号的字段中出现引号 / broken quoting: a quote inside an unquoted field at line 6',
    ]);
  });

  it('reads the same records wherever the text is split into chunks', () => {
    // Prepare
    const field = fc.oneof(
      fc.constantFrom('', 'a', '张三', ' x ', '4401021990010112345', 'long field value of some length'),
      fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', '中', ' ', '😀') }),
    );
    const record = fc.array(field, { minLength: 1, maxLength: 5 });
    const lineEnd = fc.constantFrom('\n', '\r\n');
    const fileText = fc
      .tuple(fc.array(fc.tuple(record, lineEnd), { minLength: 1, maxLength: 8 }), fc.boolean())
      .map(([records, finalLineEnd]) => {
        const encoded = records.map(([r, end]) => [r.map(quote).join(','), end] as const);
        return encoded
          .map(([line, end], i) => line + (i < encoded.length - 1 || finalLineEnd ? end : ''))
          .join('');
      });

    // Act & Assess
    fc.assert(
      fc.property(fileText, fc.array(fc.nat(), { maxLength: 12 }), (text, offsets) => {
        expect(parse(...cut(text, offsets))).toEqual(parse(text));
      }),
    );
  });

  it('reads what it is given back as written (quoted round trip)', () => {
    // Prepare
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', '中', ' ') });
    const table = fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 });

    // Act & Assess
    fc.assert(
      fc.property(table, fc.array(fc.nat(), { maxLength: 8 }), (rows, offsets) => {
        const text = rows.map((row) => row.map((f) => `"${f.replaceAll('"', '""')}"`).join(',')).join('\r\n');
        expect(fields(...cut(text, offsets))).toEqual(rows);
      }),
    );
  });

  it('returns fields that are flat copies, equal to the text they were cut from', () => {
    // Prepare
    const id = '440102199001011234';
    const long = 'x'.repeat(40);

    // Act
    const [record] = parse(`${id},${long},"${id}"\n`);

    // Assess
    expect(record?.fields).toEqual([id, long, id]);
  });

  it('rejects a record longer than the limit instead of growing without bound', () => {
    // Prepare
    const parser = new CsvParser();
    parser.push('h\nok\n');
    const piece = 'x'.repeat(64 * 1024);

    // Act
    let error: unknown;
    try {
      for (let i = 0; i <= MAX_RECORD_CHARS / piece.length; i++) parser.push(piece);
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toBeInstanceOf(UnreadableFileError);
    expect((error as UnreadableFileError).reason).toContain('record starting at line 3 is longer than 1 MiB');
  });
});

function quote(field: string): string {
  return /[",\r\n]/.test(field) || field.startsWith(' ') ? `"${field.replaceAll('"', '""')}"` : field;
}
