import {
  type Data,
  Int32,
  makeData,
  makeVector,
  RecordBatch,
  RecordBatchFileWriter,
  Struct,
  Uint32,
  Utf8,
  type Vector,
} from 'apache-arrow';
import { CATEGORY_CODES } from '#schemas/categories.ts';
import {
  CATEGORY_TYPE,
  STAGED_ROSTER_SCHEMA,
  type StagedRosterRow,
  TOWN_TYPE,
} from '#schemas/staged-roster.ts';

const BATCH_ROWS = 65_536;

/** UTF-8 byte length of a string; a lone surrogate counts 3 bytes, as the encoder writes U+FFFD. */
function utf8Length(value: string): number {
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Builds a Utf8 column from strings with one native encode per column: per-value Arrow builders
 * cost more than the rest of validation together. When the encoded length equals the number of
 * UTF-16 units, every value is ASCII and the offsets are the string lengths; otherwise each
 * value's UTF-8 length is counted.
 */
function utf8Column(values: readonly string[]): Data<Utf8> {
  const offsets = new Int32Array(values.length + 1);
  const data = Buffer.from(values.join(''), 'utf8');
  let units = 0;
  for (let i = 0; i < values.length; i++) {
    units += (values[i] as string).length;
    offsets[i + 1] = units;
  }
  if (data.length !== units) {
    let position = 0;
    for (let i = 0; i < values.length; i++) {
      position += utf8Length(values[i] as string);
      offsets[i + 1] = position;
    }
  }
  return makeData({ type: new Utf8(), length: values.length, nullCount: 0, valueOffsets: offsets, data });
}

/** The string columns of one record batch being filled. */
interface StringColumns {
  id: string[];
  name: string[];
  household: string[];
  account: string[];
  holder: string[];
  remark: string[];
}

const emptyStrings = (): StringColumns => ({
  id: [],
  name: [],
  household: [],
  account: [],
  holder: [],
  remark: [],
});

/**
 * Accumulates valid roster rows as Arrow record batches (explicit schema
 * `STAGED_ROSTER_SCHEMA`) and serialises them as one Arrow IPC file.
 */
export class StagedRosterWriter {
  private readonly batches: RecordBatch[] = [];
  private readonly categoryIndex = new Map<string, number>(CATEGORY_CODES.map((c, i) => [c, i]));
  private readonly categoryDictionary: Vector<Utf8> = makeVector(utf8Column(CATEGORY_CODES));
  private readonly townIndex: Map<string, number>;
  private readonly townDictionary: Vector<Utf8>;
  private rows: number[] = [];
  private amounts: number[] = [];
  private categories: number[] = [];
  private towns: number[] = [];
  private strings = emptyStrings();
  private total = 0;

  /** @param townCodes every town code a row may carry (the towns directory), in file order. */
  constructor(townCodes: readonly string[]) {
    this.townIndex = new Map(townCodes.map((c, i) => [c, i]));
    this.townDictionary = makeVector(utf8Column(townCodes));
  }

  /** Rows added so far. */
  get rowCount(): number {
    return this.total;
  }

  add(row: StagedRosterRow): void {
    const town = this.townIndex.get(row.town);
    if (town === undefined) throw new RangeError(`town code "${row.town}" is not in the towns directory`);
    this.rows.push(row.row);
    this.amounts.push(row.amountFen);
    this.categories.push(this.categoryIndex.get(row.category) as number);
    this.towns.push(town);
    const s = this.strings;
    s.id.push(row.idNumber);
    s.name.push(row.name);
    s.household.push(row.householdId);
    s.account.push(row.accountNumber);
    s.holder.push(row.accountHolderId);
    s.remark.push(row.remark);
    this.total++;
    if (this.rows.length === BATCH_ROWS) this.flush();
  }

  /** The Arrow IPC file of every row added. */
  toIpcFile(): Uint8Array {
    this.flush();
    const writer = new RecordBatchFileWriter();
    writer.reset(undefined, STAGED_ROSTER_SCHEMA);
    for (const batch of this.batches) writer.write(batch);
    writer.finish();
    return writer.toUint8Array(true);
  }

  private flush(): void {
    const length = this.rows.length;
    if (length === 0) return;
    const s = this.strings;
    const children: Data[] = [
      makeData({ type: new Uint32(), length, nullCount: 0, data: Uint32Array.from(this.rows) }),
      utf8Column(s.id),
      utf8Column(s.name),
      utf8Column(s.household),
      makeData({
        type: CATEGORY_TYPE,
        length,
        nullCount: 0,
        data: Int8Array.from(this.categories),
        dictionary: this.categoryDictionary,
      }),
      makeData({ type: new Int32(), length, nullCount: 0, data: Int32Array.from(this.amounts) }),
      makeData({
        type: TOWN_TYPE,
        length,
        nullCount: 0,
        data: Int16Array.from(this.towns),
        dictionary: this.townDictionary,
      }),
      utf8Column(s.account),
      utf8Column(s.holder),
      utf8Column(s.remark),
    ];
    const type = new Struct(STAGED_ROSTER_SCHEMA.fields);
    this.batches.push(
      new RecordBatch(STAGED_ROSTER_SCHEMA, makeData({ type, length, nullCount: 0, children })),
    );
    this.rows = [];
    this.amounts = [];
    this.categories = [];
    this.towns = [];
    this.strings = emptyStrings();
  }
}
