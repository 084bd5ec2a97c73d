import {
  type Data,
  DataType,
  type Dictionary,
  makeData,
  makeVector,
  RecordBatch,
  RecordBatchFileWriter,
  RecordBatchReader,
  RecordBatchStreamWriter,
  Struct,
  type Table,
  tableFromIPC,
  Uint32,
  type Utf8,
  type Vector,
} from 'apache-arrow';
import { type DatasetArrowLayout, SOURCE_TYPE, type StagedType } from '#schemas/dataset-arrow.ts';
import { dateFromDays, daysFromDate } from '#schemas/dataset-values.ts';
import { utf8Data } from './utf8-column.ts';

/**
 * Writing and reading the staged dataset files (Arrow IPC, schemas in `schemas/dataset-arrow.ts`)
 * column by column: a batch of values becomes one typed array or one native UTF-8 encode, as in
 * `StagedRosterWriter`, because per-value Arrow builders cost more than parsing. Reading back
 * decodes a string column's bytes once per record batch and slices it, instead of one
 * `TextDecoder` call per value.
 */

const BATCH_ROWS = 65_536;
const TWO_32 = 4_294_967_296;

type Kind = 'utf8' | 'int64' | 'date' | 'bool' | 'dictionary';

function kindOf(type: DataType): Kind {
  if (DataType.isDictionary(type)) return 'dictionary';
  if (DataType.isUtf8(type)) return 'utf8';
  if (DataType.isDate(type)) return 'date';
  if (DataType.isBool(type)) return 'bool';
  if (DataType.isInt(type) && type.bitWidth === 64) return 'int64';
  throw new TypeError(`no staged column kind for Arrow type ${type}`);
}

const bitmapBytes = (length: number) => new Uint8Array((length + 7) >>> 3);

/** Where the writer was: {@link DatasetTableWriter.rollback} returns to it. */
export interface WriterMark {
  readonly batches: number;
  readonly rows: number;
}

/**
 * Text values of a row given as UTF-8 bytes instead of strings: column `c`'s value is
 * `bytes[start[c], end[c])` when `start[c] >= 0` (the staging hot path copies a field's bytes from
 * the file straight into the column, with no string in between), else the row's value.
 */
export interface RawText {
  bytes: Uint8Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
}

/**
 * One column of the record batch being filled, as typed arrays of `capacity` rows (a batch's
 * rows), so adding a value allocates nothing; {@link ColumnBuilder.data} copies out exactly the
 * rows added, the same Arrow data the values would make as plain arrays.
 */
class ColumnBuilder {
  private readonly kind: Kind;
  /** Utf8: bytes so far and their end offsets; int64: values; date: days; dictionary: codes. */
  private bytes: Uint8Array;
  /** {@link bytes} as a Buffer, to encode strings into (the byte loops see plain Uint8Arrays only). */
  private text: Buffer;
  private used = 0;
  private readonly offsets: Int32Array;
  private readonly numbers: Float64Array | Int32Array | Int8Array | undefined;
  /** Validity (nullable Utf8 and Int64) or the values (Bool), one bit per row. */
  private readonly bits: Uint8Array;
  private nulls = 0;
  private length = 0;

  constructor(
    private readonly type: DataType,
    private readonly nullable: boolean,
    private readonly name: string,
    private readonly dictionaryIndex: Map<string, number> | undefined,
    private readonly dictionary: Vector<Utf8> | undefined,
    capacity: number,
  ) {
    this.kind = kindOf(type);
    this.offsets = new Int32Array(this.kind === 'utf8' ? capacity + 1 : 0);
    this.bytes = new Uint8Array(this.kind === 'utf8' ? capacity * 16 : 0);
    this.text = Buffer.from(this.bytes.buffer);
    this.numbers =
      this.kind === 'int64'
        ? new Float64Array(capacity)
        : this.kind === 'date'
          ? new Int32Array(capacity)
          : this.kind === 'dictionary'
            ? new Int8Array(capacity)
            : undefined;
    this.bits = bitmapBytes(capacity);
  }

  private room(bytes: number): void {
    if (this.used + bytes <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.used + bytes));
    grown.set(this.bytes.subarray(0, this.used));
    this.bytes = grown;
    this.text = Buffer.from(grown.buffer);
  }

  private valid(i: number): void {
    this.bits[i >>> 3] = (this.bits[i >>> 3] as number) | (1 << (i & 7));
  }

  /** Adds the text `bytes[start, end)` (UTF-8) to a Utf8 column; empty is null where nullable. */
  addBytes(bytes: Uint8Array, start: number, end: number): void {
    if (this.kind !== 'utf8') throw new TypeError(`column ${this.name}: raw text for a ${this.kind} column`);
    const i = this.length++;
    const size = end - start;
    if (size === 0 && this.nullable) this.nulls++;
    else if (this.nullable) this.valid(i);
    this.room(size);
    const to = this.bytes;
    let at = this.used;
    if (size > 32) to.set(bytes.subarray(start, end), at);
    else for (let b = start; b < end; b++) to[at++] = bytes[b] as number;
    this.used += size;
    this.offsets[i + 1] = this.used;
  }

  /** Adds a value as the row schema gives it (a date may also be given as its day number). */
  add(value: unknown): void {
    const i = this.length++;
    switch (this.kind) {
      case 'utf8': {
        const text = value === undefined ? '' : (value as string);
        if (this.nullable) {
          if (text === '') this.nulls++;
          else this.valid(i);
        }
        this.room(text.length * 3);
        this.used += this.text.write(text, this.used, 'utf8');
        this.offsets[i + 1] = this.used;
        return;
      }
      case 'int64': {
        if (value === undefined && this.nullable) {
          this.nulls++;
          return;
        }
        if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
          throw new RangeError(
            `column ${this.name}: expected non-negative integer fen, got ${String(value)}`,
          );
        }
        this.valid(i);
        (this.numbers as Float64Array)[i] = value;
        return;
      }
      case 'date':
        (this.numbers as Int32Array)[i] = typeof value === 'number' ? value : daysFromDate(value as string);
        return;
      case 'bool':
        if (value === true) this.valid(i);
        return;
      case 'dictionary': {
        const k = (this.dictionaryIndex as Map<string, number>).get(value as string);
        if (k === undefined)
          throw new RangeError(`column ${this.name}: "${String(value)}" is not in its dictionary`);
        (this.numbers as Int8Array)[i] = k;
        return;
      }
    }
  }

  /** The Arrow data of the rows added since the last call; the builder starts empty again. */
  data(): Data {
    const length = this.length;
    const type = this.type;
    const nullCount = this.nulls;
    const bits = this.bits.slice(0, (length + 7) >>> 3);
    let data: Data;
    switch (this.kind) {
      case 'utf8':
        data = makeData({
          type: type as Utf8,
          length,
          nullCount,
          nullBitmap: nullCount > 0 ? bits : undefined,
          valueOffsets: this.offsets.slice(0, length + 1),
          data: this.bytes.slice(0, this.used),
        });
        break;
      case 'int64': {
        const values = this.numbers as Float64Array;
        const big = new BigInt64Array(length);
        const words = new Int32Array(big.buffer);
        for (let i = 0; i < length; i++) {
          if (((bits[i >>> 3] as number) & (1 << (i & 7))) === 0) continue;
          const v = values[i] as number;
          // Little-endian words (Arrow IPC and every platform Node runs on).
          words[2 * i] = (v % TWO_32) | 0;
          words[2 * i + 1] = Math.floor(v / TWO_32);
        }
        data = makeData({
          type,
          length,
          nullCount,
          nullBitmap: nullCount > 0 ? bits : undefined,
          data: big,
        } as never);
        break;
      }
      case 'date':
        data = makeData({
          type,
          length,
          nullCount: 0,
          data: (this.numbers as Int32Array).slice(0, length),
        } as never);
        break;
      case 'bool':
        data = makeData({ type, length, nullCount: 0, data: bits } as never);
        break;
      default:
        data = makeData({
          type,
          length,
          nullCount: 0,
          data: (this.numbers as Int8Array).slice(0, length),
          dictionary: this.dictionary,
        } as never);
    }
    this.clear();
    return data;
  }

  /** Drops the rows added since the last {@link data}. */
  clear(): void {
    this.length = 0;
    this.used = 0;
    this.nulls = 0;
    this.bits.fill(0);
  }
}

/**
 * Accumulates the staged rows of a dataset snapshot as Arrow record batches and serialises them as
 * one Arrow IPC file with the layout's explicit schema.
 *
 * Values are the row schema's output: strings for `Utf8` (a nullable one stores `''` as null),
 * integer fen for `Int64` (`undefined` = null where nullable), `YYYY-MM-DD` strings (or day
 * numbers) for `DateDay`, booleans for `Bool`, codes of the column's fixed dictionary. Each
 * column fills typed arrays of one batch (see `ColumnBuilder`), as in `StagedRosterWriter`,
 * because per-value Arrow builders cost more than parsing.
 */
export class DatasetTableWriter {
  private readonly layout: DatasetArrowLayout;
  private readonly sourceDictionary: Vector<Utf8>;
  /** The dictionary of each child of a record batch (source, line, then the layout's columns). */
  private readonly dictionaries: readonly (Vector<Utf8> | undefined)[];
  private readonly builders: ColumnBuilder[];
  private readonly batches: RecordBatch[] = [];
  private readonly sources: Int32Array;
  private readonly lines: Uint32Array;
  private pending = 0;
  private total = 0;
  /** Record batches made so far and handed out by {@link spill}. */
  private spilled = 0;
  /** {@link heldBytes}, kept as batches are made, spilled and rolled back: staging asks after every chunk it reads. */
  private held = 0;

  private readonly batchRows: number;

  /**
   * @param sourceKeys the keys of the snapshot's source files: `add`'s `source` indexes them.
   * @param batchRows rows per record batch: smaller when many writers fill at once (one per shard),
   *   so that the rows waiting stay few whatever the number of writers.
   */
  constructor(layout: DatasetArrowLayout, sourceKeys: readonly string[], batchRows = BATCH_ROWS) {
    this.layout = layout;
    this.batchRows = batchRows;
    this.sourceDictionary = makeVector(utf8Data(sourceKeys));
    const dictionaries = layout.columns.map((c) =>
      c.dictionary === undefined ? undefined : makeVector(utf8Data(c.dictionary)),
    );
    this.dictionaries = [this.sourceDictionary, undefined, ...dictionaries];
    this.builders = layout.columns.map(
      (c, i) =>
        new ColumnBuilder(
          c.field.type,
          c.field.nullable,
          c.field.name,
          c.dictionary === undefined ? undefined : new Map(c.dictionary.map((v, i) => [v, i])),
          dictionaries[i],
          batchRows,
        ),
    );
    this.sources = new Int32Array(batchRows);
    this.lines = new Uint32Array(batchRows);
  }

  /** Rows added and kept so far. */
  get rowCount(): number {
    return this.total;
  }

  /**
   * Adds one row.
   * @param source index of the row's file in the constructor's `sourceKeys`.
   * @param line the row's record number after the header.
   * @param row the row schema's output, keyed by the columns' `rowKey`.
   */
  add(source: number, line: number, row: Readonly<Record<string, unknown>>): void {
    const columns = this.layout.columns;
    for (let c = 0; c < columns.length; c++) {
      (this.builders[c] as ColumnBuilder).add(row[(columns[c] as { rowKey: string }).rowKey]);
    }
    this.endRow(source, line);
  }

  /**
   * Adds one row given its values in column order (the layout's), as the field readers give them:
   * the staging hot path, with no row object. Text columns may be given as bytes instead (`raw`).
   * Nothing is kept of `values` or `raw`, so they may be reused.
   */
  addValues(source: number, line: number, values: readonly unknown[], raw?: RawText): void {
    const builders = this.builders;
    for (let c = 0; c < builders.length; c++) {
      const builder = builders[c] as ColumnBuilder;
      const start = raw === undefined ? -1 : (raw.start[c] as number);
      if (start >= 0) builder.addBytes((raw as RawText).bytes, start, (raw as RawText).end[c] as number);
      else builder.add(values[c]);
    }
    this.endRow(source, line);
  }

  private endRow(source: number, line: number): void {
    this.sources[this.pending] = source;
    this.lines[this.pending] = line;
    this.pending++;
    this.total++;
    if (this.pending >= this.batchRows) this.flush();
  }

  /** Bytes of the finished record batches the writer holds (the rows being filled not counted). */
  get heldBytes(): number {
    return this.held;
  }

  /** Closes the current record batch and returns the position to roll back to. */
  mark(): WriterMark {
    this.flush();
    return { batches: this.spilled + this.batches.length, rows: this.total };
  }

  /**
   * Drops every row added since `mark` (a file read again from its start). Rows spilled since
   * `mark` are the caller's to drop (it holds what {@link spill} gave it).
   */
  rollback(mark: WriterMark): void {
    if (mark.batches >= this.spilled) this.batches.length = mark.batches - this.spilled;
    else {
      this.batches.length = 0;
      this.spilled = mark.batches;
    }
    this.held = 0;
    for (const batch of this.batches) this.held += batchBytes(batch);
    this.pending = 0;
    for (const builder of this.builders) builder.clear();
    this.total = mark.rows;
  }

  /**
   * Hands out every finished record batch held, as one Arrow IPC stream, and lets go of them:
   * the caller keeps the bytes out of memory (a `SpillFile`) and gives them back, in order,
   * to {@link toIpcFile}. The rows being filled stay. `undefined` when no batch is held.
   * @param before only the batches made before this many (a {@link WriterMark}'s `batches`).
   */
  spill(before = Number.POSITIVE_INFINITY): Uint8Array | undefined {
    const count = Math.min(this.batches.length, before - this.spilled);
    if (count <= 0) return undefined;
    const taken = this.batches.splice(0, count);
    for (const batch of taken) this.held -= batchBytes(batch);
    const writer = new RecordBatchStreamWriter();
    writer.reset(undefined, this.layout.schema);
    for (const batch of taken) writer.write(batch);
    writer.finish();
    this.spilled += count;
    return writer.toUint8Array(true);
  }

  /**
   * The Arrow IPC file of every row kept: the batches {@link spill} handed out, given back in the
   * order they were spilled, then those held.
   */
  toIpcFile(spilled: readonly Uint8Array[] = []): Uint8Array {
    this.flush();
    const writer = new RecordBatchFileWriter();
    writer.reset(undefined, this.layout.schema);
    for (const stream of spilled) {
      for (const batch of RecordBatchReader.from(stream)) writer.write(this.withOwnDictionaries(batch));
    }
    for (const batch of this.batches) writer.write(batch);
    writer.finish();
    return writer.toUint8Array(true);
  }

  /**
   * A batch read back from a spill, its dictionary columns pointing at this writer's dictionaries
   * again: an IPC file holds one dictionary per column, and the file writer would write each
   * batch's own copy read from its spill as a replacement, which the file format does not allow.
   */
  private withOwnDictionaries(batch: RecordBatch): RecordBatch {
    const schema = this.layout.schema;
    const children = batch.data.children.map((child, c) => {
      const dictionary = this.dictionaries[c];
      if (dictionary === undefined) return child;
      return makeData({
        type: (schema.fields[c] as { type: Dictionary<Utf8> }).type,
        length: child.length,
        nullCount: child.nullCount,
        nullBitmap: child.nullCount > 0 ? child.nullBitmap : undefined,
        data: child.values as Dictionary<Utf8>['TArray'],
        dictionary,
      });
    });
    const type = new Struct(schema.fields);
    return new RecordBatch(schema, makeData({ type, length: batch.numRows, nullCount: 0, children }));
  }

  private flush(): void {
    const length = this.pending;
    if (length === 0) return;
    const children: Data[] = [
      makeData({
        type: SOURCE_TYPE,
        length,
        nullCount: 0,
        data: this.sources.slice(0, length),
        dictionary: this.sourceDictionary,
      }),
      makeData({ type: new Uint32(), length, nullCount: 0, data: this.lines.slice(0, length) }),
    ];
    for (const builder of this.builders) children.push(builder.data());
    const schema = this.layout.schema;
    const type = new Struct(schema.fields);
    const batch = new RecordBatch(schema, makeData({ type, length, nullCount: 0, children }));
    this.batches.push(batch);
    this.held += batchBytes(batch);
    this.pending = 0;
  }
}

/** The bytes of a record batch's buffers (its dictionaries, shared by every batch, not counted). */
function batchBytes(batch: RecordBatch): number {
  let bytes = 0;
  for (const child of batch.data.children) {
    bytes += child.values?.byteLength ?? 0;
    bytes += child.valueOffsets?.byteLength ?? 0;
    bytes += child.nullBitmap?.byteLength ?? 0;
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// Reading.

const isValid = (bitmap: Uint8Array, i: number) => ((bitmap[i >>> 3] as number) & (1 << (i & 7))) !== 0;

/** The strings of a Utf8 Data, decoded once and sliced. A null is `''`. */
function utf8Getter(data: Data): (i: number) => string {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const first = data.offset;
  const base = offsets[first] as number;
  const end = offsets[first + data.length] as number;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + base, end - base).toString('utf8');
  let starts: Int32Array | undefined;
  if (text.length !== end - base) {
    // Not all ASCII: the UTF-16 position of every value, from its UTF-8 lead bytes.
    starts = new Int32Array(data.length + 1);
    let units = 0;
    for (let i = 0; i < data.length; i++) {
      const to = offsets[first + i + 1] as number;
      for (let b = offsets[first + i] as number; b < to; b++) {
        const byte = bytes[b] as number;
        if ((byte & 0xc0) !== 0x80) units += byte >= 0xf0 ? 2 : 1;
      }
      starts[i + 1] = units;
    }
  }
  const nulls = data.nullCount > 0 ? data.nullBitmap : undefined;
  const get =
    starts === undefined
      ? (i: number) =>
          text.slice((offsets[first + i] as number) - base, (offsets[first + i + 1] as number) - base)
      : (i: number) =>
          text.slice((starts as Int32Array)[i] as number, (starts as Int32Array)[i + 1] as number);
  if (nulls === undefined) return get;
  return (i) => (isValid(nulls, first + i) ? get(i) : '');
}

/** The strings of a dictionary Data with a Utf8 dictionary. */
function dictionaryGetter(data: Data): (i: number) => string {
  const dictionary = data.dictionary as Vector<Utf8>;
  const values: string[] = [];
  for (let k = 0; k < dictionary.length; k++) values.push(dictionary.get(k) ?? '');
  const indexes = data.values as Int8Array | Int16Array | Int32Array;
  const first = data.offset;
  return (i) => values[indexes[first + i] as number] as string;
}

/**
 * One record batch of a staged file — a dataset snapshot or a staged roster — read column by
 * column: each getter decodes its column once and answers per row.
 */
export class StagedBatch {
  readonly length: number;
  private readonly columns = new Map<string, Data>();

  constructor(batch: RecordBatch) {
    this.length = batch.numRows;
    batch.schema.fields.forEach((field, i) => {
      const data = batch.getChildAt(i)?.data[0];
      if (data !== undefined) this.columns.set(field.name, data);
    });
  }

  private column(name: string): Data {
    const data = this.columns.get(name);
    if (data === undefined) throw new Error(`staged dataset lacks column ${name}`);
    return data;
  }

  /** A `Utf8` column (null read as `''`) or a dictionary-encoded one. */
  text(name: string): (i: number) => string {
    const data = this.column(name);
    return DataType.isDictionary(data.type) ? dictionaryGetter(data) : utf8Getter(data);
  }

  /**
   * The UTF-8 bytes of a `Utf8` column without nulls and where each value lies in them (value `i`
   * is `bytes[offsets[first + i], offsets[first + i + 1])`), to test values without making their
   * strings; `undefined` for a dictionary-encoded column or one with nulls ({@link text} reads those).
   */
  utf8Bytes(name: string): { bytes: Uint8Array; offsets: Int32Array; first: number } | undefined {
    const data = this.column(name);
    if (!DataType.isUtf8(data.type) || data.nullCount > 0) return undefined;
    return { bytes: data.values as Uint8Array, offsets: data.valueOffsets as Int32Array, first: data.offset };
  }

  /** The dictionary index of each value of a dictionary-encoded column. */
  code(name: string): (i: number) => number {
    const data = this.column(name);
    if (!DataType.isDictionary(data.type)) throw new Error(`staged column ${name} is not dictionary-encoded`);
    const indexes = data.values as Int8Array | Int16Array | Int32Array;
    const first = data.offset;
    return (i) => indexes[first + i] as number;
  }

  /** A `Uint32` column. */
  uint32(name: string): (i: number) => number {
    const data = this.column(name);
    const values = data.values as Uint32Array;
    const first = data.offset;
    return (i) => values[first + i] as number;
  }

  /** An `Int32` column (non-nullable). */
  int32(name: string): (i: number) => number {
    const data = this.column(name);
    const values = data.values as Int32Array;
    const first = data.offset;
    return (i) => values[first + i] as number;
  }

  /** An `Int64` column of integer fen; null is `undefined`. */
  fen(name: string): (i: number) => number | undefined {
    const data = this.column(name);
    const big = data.values as BigInt64Array;
    const words = new Int32Array(big.buffer, big.byteOffset, big.length * 2);
    const first = data.offset;
    const nulls = data.nullCount > 0 ? data.nullBitmap : undefined;
    return (i) => {
      const at = first + i;
      if (nulls !== undefined && !isValid(nulls, at)) return undefined;
      return (words[2 * at + 1] as number) * TWO_32 + ((words[2 * at] as number) >>> 0);
    };
  }

  /** A `DateDay` column, as `YYYY-MM-DD`. */
  date(name: string): (i: number) => string {
    const data = this.column(name);
    const days = data.values as Int32Array;
    const first = data.offset;
    const cache = new Map<number, string>();
    return (i) => {
      const d = days[first + i] as number;
      let s = cache.get(d);
      if (s === undefined) {
        s = dateFromDays(d);
        cache.set(d, s);
      }
      return s;
    };
  }

  /** A `Bool` column. */
  bool(name: string): (i: number) => boolean {
    const data = this.column(name);
    const bits = data.values as Uint8Array;
    const first = data.offset;
    return (i) => isValid(bits, first + i);
  }
}

/** The {@link StagedBatch} reader of each kind of staged column. */
const READER_OF = { text: 'text', codes: 'text', fen: 'fen', date: 'date', bool: 'bool' } as const satisfies {
  readonly [K in StagedType['kind']]: keyof StagedBatch;
};

/**
 * The column getters of one record batch of a staged dataset, keyed by the layout's row keys
 * (the column names of the contract, amounts without their `_fen` suffix), plus `source` and
 * `line`: what a dataset descriptor's `record` mapping takes. Each getter is made — and its column
 * decoded — when first read, so a mapping pays only for the columns it uses.
 */
export function stagedColumns(
  batch: StagedBatch,
  layout: DatasetArrowLayout,
): Readonly<Record<string, (i: number) => unknown>> {
  const columns: Record<string, (i: number) => unknown> = {};
  const lazy = (key: string, make: () => (i: number) => unknown) => {
    Object.defineProperty(columns, key, {
      enumerable: true,
      get: () => {
        const getter = make();
        Object.defineProperty(columns, key, { enumerable: true, value: getter });
        return getter;
      },
      configurable: true,
    });
  };
  lazy('source', () => batch.text('source'));
  lazy('line', () => batch.uint32('line'));
  for (const { field, rowKey, staged } of layout.columns) {
    lazy(rowKey, () => batch[READER_OF[staged.kind]](field.name));
  }
  return columns;
}

/**
 * A staged dataset file as an Arrow table (its buffers are views of `bytes`, nothing is decoded).
 * Checks that the file has the layout's columns in order, so a file staged with another schema
 * is not misread.
 * @throws Error when the file's columns differ from the layout's.
 */
export function readStagedTable(bytes: Uint8Array, layout: DatasetArrowLayout): Table {
  const table: Table = tableFromIPC(bytes);
  const expected = layout.schema.fields.map((f) => `${f.name}:${f.type}`).join(',');
  const actual = table.schema.fields.map((f) => `${f.name}:${f.type}`).join(',');
  if (expected !== actual) {
    throw new Error(`staged dataset has columns ${actual}, expected ${expected}`);
  }
  return table;
}

/**
 * The record batches of a staged dataset file, checked as {@link readStagedTable} does.
 * @throws Error when the file's columns differ from the layout's.
 */
export function readStagedBatches(bytes: Uint8Array, layout: DatasetArrowLayout): StagedBatch[] {
  return readStagedTable(bytes, layout).batches.map((b) => new StagedBatch(b));
}
