import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteRecord, byteRowsOf } from '#formats/byte-record.ts';
import { NotPlainUtf8CsvError } from '#formats/csv-byte-rows.ts';
import { csvRecords } from '#formats/csv-records.ts';
import type { RawRecord } from '#formats/raw-record.ts';
import { allRecords, streamOf, utf8 } from '../../fixtures/formats/byte-streams.ts';

/** Every record of a file read from its bytes with a {@link ByteRecord}, or the splitter's refusal. */
async function byteRecords(bytes: Uint8Array, cuts: readonly number[]): Promise<RawRecord[] | 'refused'> {
  const records: RawRecord[] = [];
  const cursor = new ByteRecord();
  try {
    for await (const rows of byteRowsOf(streamOf(bytes, cuts))) {
      for (let r = 0; r < rows.count; r++) {
        const record = cursor.at(rows, r);
        records.push({ row: record.row, fields: record.fields() });
      }
    }
  } catch (error) {
    if (error instanceof NotPlainUtf8CsvError) return 'refused';
    throw error;
  }
  return records;
}

/** A field as a bank or the pipeline writes it: plain, quoted when it must be, sometimes with `""`. */
const fieldArb = fc.oneof(
  fc.constantFrom('', ' ', '2026-10-shiqi-000001', '355.00', '张三', '\u3000李四 ', '😀', '-x', "'=1"),
  fc.string({ maxLength: 6 }),
  fc.constantFrom('a,b', '李\r\n四', 'say "hi"', '"'),
);
const quoted = (field: string) => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field);

describe('ByteRecord over byteRowsOf', () => {
  it('reads exactly the records the text reader reads, or refuses the file, wherever its bytes are cut', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fieldArb, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 12 }),
        fc.constantFrom('\r\n', '\n', '\r'),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.nat({ max: 400 }), { maxLength: 6 }),
        async (records, newline, bom, endsWithNewline, cuts) => {
          // Prepare
          const lines = records.map((fields) => fields.map(quoted).join(','));
          const text = `${bom ? '\ufeff' : ''}${lines.join(newline)}${endsWithNewline ? newline : ''}`;
          const bytes = utf8(text);
          const plain = !records.some((fields) => fields.some((f) => f.includes('"')));

          // Act
          const fromBytes = await byteRecords(bytes, cuts);
          const fromText = await allRecords(csvRecords(streamOf(bytes), 'utf-8'));

          // Assess
          if (plain) expect(fromBytes).toEqual(fromText);
          else if (fromBytes !== 'refused') expect(fromBytes).toEqual(fromText);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('decodes only the field asked for, and gives an empty field beyond the last', async () => {
    // Prepare
    const bytes = utf8('payment_ref,name\r\n2026-10-x-000001,"张, 三"\r\n2026-10-x-000002\r\n');
    const cursor = new ByteRecord();
    const seen: { row: number; count: number; fields: string[] }[] = [];

    // Act
    for await (const rows of byteRowsOf(streamOf(bytes, [5, 21, 30]))) {
      for (let r = 0; r < rows.count; r++) {
        const record = cursor.at(rows, r);
        seen.push({ row: record.row, count: record.fieldCount, fields: [record.field(1), record.field(0)] });
      }
    }

    // Assess
    expect(seen).toEqual([
      { row: 0, count: 2, fields: ['name', 'payment_ref'] },
      { row: 1, count: 2, fields: ['张, 三', '2026-10-x-000001'] },
      { row: 2, count: 1, fields: ['', '2026-10-x-000002'] },
    ]);
  });

  it('refuses an escaped quote, which the text reader reads', async () => {
    // Prepare
    const bytes = utf8('a,b\r\n1,"say ""hi"""\r\n');

    // Act
    const fromBytes = await byteRecords(bytes, []);

    // Assess
    expect(fromBytes).toBe('refused');
    expect(await allRecords(csvRecords(streamOf(bytes), 'utf-8'))).toEqual([
      { row: 0, fields: ['a', 'b'] },
      { row: 1, fields: ['1', 'say "hi"'] },
    ]);
  });
});
