/**
 * The fields of one record of a CSV file, read one at a time: a record read as text (its fields
 * an array, {@link ArrayFields}) or one read from its bytes, whose fields are decoded only when
 * read (`formats/byte-record.ts`). Raw values: untrimmed, quotes removed.
 */
export interface RecordFields {
  readonly fieldCount: number;
  /** Field `index`; `''` beyond the record's last field (a short record's missing fields are empty). */
  field(index: number): string;
}

/**
 * A record read as text as {@link RecordFields}: a cursor set to each record in turn with
 * {@link ArrayFields.of}, so that reading a million records makes no object per record.
 */
export class ArrayFields implements RecordFields {
  #fields: readonly string[] = [];
  row = 0;

  /** Sets the cursor to the record `fields` (row number `row`) and returns it. */
  of(fields: readonly string[], row = 0): this {
    this.#fields = fields;
    this.row = row;
    return this;
  }

  get fieldCount(): number {
    return this.#fields.length;
  }

  field(index: number): string {
    return this.#fields[index] ?? '';
  }
}
