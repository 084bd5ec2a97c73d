import type { ByteRows } from './csv-byte-rows.ts';
import { CsvByteRows } from './csv-byte-rows.ts';
import { limitBytes } from './file-size-limit.ts';

/**
 * One record of the {@link ByteRows} a {@link CsvByteRows} gave out, read field by field: a
 * cursor moved from record to record with {@link ByteRecord.at}, decoding a field (UTF-8) only
 * when it is read. A reader that needs two fields of nine makes two strings per record, not
 * nine and an array. Valid as long as the rows it points into.
 */
export class ByteRecord {
  #rows: ByteRows | undefined;
  #first = 0;
  fieldCount = 0;
  /** The record's number in the file (0: the header). */
  row = 0;

  /** Sets the cursor to record `r` of `rows` and returns it. */
  at(rows: ByteRows, r: number): this {
    this.#rows = rows;
    this.#first = rows.fieldStart[r] as number;
    this.fieldCount = (rows.fieldStart[r + 1] as number) - this.#first;
    this.row = rows.firstRow + r;
    return this;
  }

  /** Field `index` as text; `''` beyond the record's last field. */
  field(index: number): string {
    if (index >= this.fieldCount) return '';
    const rows = this.#rows as ByteRows;
    const at = this.#first + index;
    return rows.text.toString('utf8', rows.start[at], rows.end[at]);
  }

  /** Every field as text, in order. */
  fields(): string[] {
    const fields: string[] = [];
    for (let i = 0; i < this.fieldCount; i++) fields.push(this.field(i));
    return fields;
  }
}

/**
 * The records of a CSV file's bytes as they stream, one {@link ByteRows} per chunk (each valid
 * until the next is asked for), the file's size limit enforced as the bytes go by.
 * @throws NotPlainUtf8CsvError when the file is not one `CsvByteRows` reads (the caller reads it
 *   as text instead); UnreadableFileError when it is over the size limit.
 */
export async function* byteRowsOf(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<ByteRows> {
  const splitter = new CsvByteRows();
  for await (const chunk of limitBytes(bytes)) yield splitter.push(chunk);
  yield splitter.end();
}
