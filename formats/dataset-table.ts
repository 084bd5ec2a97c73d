import {
  type Data,
  DataType,
  makeData,
  makeVector,
  RecordBatch,
  RecordBatchFileWriter,
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
 * Accumulates the staged rows of a dataset snapshot as Arrow record batches and serialises them as
 * one Arrow IPC file with the layout's explicit schema.
 *
 * Values are the row schema's output: strings for `Utf8` (a nullable one stores `''` as null),
 * integer fen for `Int64` (`undefined` = null where nullable), `YYYY-MM-DD` strings for
 * `DateDay`, booleans for `Bool`, codes of the column's fixed dictionary.
 */
export class DatasetTableWriter {
  private readonly layout: DatasetArrowLayout;
  private readonly kinds: Kind[];
  private readonly sourceDictionary: Vector<Utf8>;
  private readonly dictionaries: (Vector<Utf8> | undefined)[];
  private readonly dictionaryIndexes: (Map<string, number> | undefined)[];
  private readonly batches: RecordBatch[] = [];
  private sources: number[] = [];
  private lines: number[] = [];
  private values: unknown[][];
  private total = 0;

  private readonly batchRows: number;

  /**
   * @param sourceKeys the keys of the snapshot's source files: `add`'s `source` indexes them.
   * @param batchRows rows per record batch: smaller when many writers fill at once (one per shard),
   *   so that the rows waiting as values stay few whatever the number of writers.
   */
  constructor(layout: DatasetArrowLayout, sourceKeys: readonly string[], batchRows = BATCH_ROWS) {
    this.layout = layout;
    this.batchRows = batchRows;
    this.kinds = layout.columns.map((c) => kindOf(c.field.type));
    this.sourceDictionary = makeVector(utf8Data(sourceKeys));
    this.dictionaries = layout.columns.map((c) =>
      c.dictionary === undefined ? undefined : makeVector(utf8Data(c.dictionary)),
    );
    this.dictionaryIndexes = layout.columns.map((c) =>
      c.dictionary === undefined ? undefined : new Map(c.dictionary.map((v, i) => [v, i])),
    );
    this.values = layout.columns.map(() => []);
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
      (this.values[c] as unknown[]).push(row[(columns[c] as { rowKey: string }).rowKey]);
    }
    this.endRow(source, line);
  }

  /**
   * Adds one row given its values in column order (the layout's), as the field readers give them:
   * the staging hot path, with no row object. `values` is copied, so it may be reused.
   */
  addValues(source: number, line: number, values: readonly unknown[]): void {
    const columns = this.values;
    for (let c = 0; c < columns.length; c++) (columns[c] as unknown[]).push(values[c]);
    this.endRow(source, line);
  }

  private endRow(source: number, line: number): void {
    this.sources.push(source);
    this.lines.push(line);
    this.total++;
    if (this.lines.length >= this.batchRows) this.flush();
  }

  /** Closes the current record batch and returns the position to roll back to. */
  mark(): WriterMark {
    this.flush();
    return { batches: this.batches.length, rows: this.total };
  }

  /** Drops every row added since `mark` (a file read again from its start). */
  rollback(mark: WriterMark): void {
    this.batches.length = mark.batches;
    this.sources = [];
    this.lines = [];
    this.values = this.layout.columns.map(() => []);
    this.total = mark.rows;
  }

  /** The Arrow IPC file of every row kept. */
  toIpcFile(): Uint8Array {
    this.flush();
    const writer = new RecordBatchFileWriter();
    writer.reset(undefined, this.layout.schema);
    for (const batch of this.batches) writer.write(batch);
    writer.finish();
    return writer.toUint8Array(true);
  }

  private flush(): void {
    const length = this.lines.length;
    if (length === 0) return;
    const children: Data[] = [
      makeData({
        type: SOURCE_TYPE,
        length,
        nullCount: 0,
        data: Int32Array.from(this.sources),
        dictionary: this.sourceDictionary,
      }),
      makeData({ type: new Uint32(), length, nullCount: 0, data: Uint32Array.from(this.lines) }),
    ];
    this.layout.columns.forEach((column, c) => {
      children.push(
        this.columnData(c, column.field.type, column.field.nullable, this.values[c] as unknown[]),
      );
    });
    const schema = this.layout.schema;
    const type = new Struct(schema.fields);
    this.batches.push(new RecordBatch(schema, makeData({ type, length, nullCount: 0, children })));
    this.sources = [];
    this.lines = [];
    this.values = this.layout.columns.map(() => []);
  }

  private columnData(c: number, type: DataType, nullable: boolean, values: unknown[]): Data {
    const length = values.length;
    const name = this.layout.columns[c]?.field.name;
    switch (this.kinds[c]) {
      case 'utf8': {
        if (!nullable) return utf8Data(values as string[]);
        const bitmap = bitmapBytes(length);
        let nulls = 0;
        const strings = values.map((v, i) => {
          if (v === undefined || v === '') {
            nulls++;
            return '';
          }
          bitmap[i >>> 3] = (bitmap[i >>> 3] as number) | (1 << (i & 7));
          return v as string;
        });
        return utf8Data(strings, bitmap, nulls);
      }
      case 'int64': {
        const data = new BigInt64Array(length);
        const words = new Int32Array(data.buffer);
        const bitmap = bitmapBytes(length);
        let nulls = 0;
        for (let i = 0; i < length; i++) {
          const v = values[i];
          if (v === undefined && nullable) {
            nulls++;
            continue;
          }
          if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
            throw new RangeError(`column ${name}: expected non-negative integer fen, got ${String(v)}`);
          }
          bitmap[i >>> 3] = (bitmap[i >>> 3] as number) | (1 << (i & 7));
          // Little-endian words (Arrow IPC and every platform Node runs on).
          words[2 * i] = (v % TWO_32) | 0;
          words[2 * i + 1] = Math.floor(v / TWO_32);
        }
        return makeData({
          type,
          length,
          nullCount: nulls,
          nullBitmap: nulls > 0 ? bitmap : undefined,
          data,
        } as never);
      }
      case 'date': {
        const data = new Int32Array(length);
        for (let i = 0; i < length; i++) data[i] = daysFromDate(values[i] as string);
        return makeData({ type, length, nullCount: 0, data } as never);
      }
      case 'bool': {
        const data = bitmapBytes(length);
        for (let i = 0; i < length; i++) {
          if (values[i] === true) data[i >>> 3] = (data[i >>> 3] as number) | (1 << (i & 7));
        }
        return makeData({ type, length, nullCount: 0, data } as never);
      }
      case 'dictionary': {
        const index = this.dictionaryIndexes[c] as Map<string, number>;
        const data = new Int8Array(length);
        for (let i = 0; i < length; i++) {
          const k = index.get(values[i] as string);
          if (k === undefined)
            throw new RangeError(`column ${name}: "${String(values[i])}" is not in its dictionary`);
          data[i] = k;
        }
        return makeData({ type, length, nullCount: 0, data, dictionary: this.dictionaries[c] } as never);
      }
      default:
        throw new TypeError(`column ${name}: unsupported kind`);
    }
  }
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
