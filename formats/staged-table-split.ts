import {
  type Data,
  DataType,
  makeData,
  RecordBatch,
  RecordBatchFileWriter,
  Struct,
  type Table,
} from 'apache-arrow';

/**
 * Splitting a staged Arrow file (a dataset snapshot or a staged roster) into parts by a text
 * column — the month run's partitions by ID number. Rows are copied buffer by buffer (the offsets
 * and bytes of a `Utf8` column, the values of a fixed-width or dictionary one, the bits of a
 * `Bool` column or a validity bitmap); no value is decoded or encoded, and dictionaries are
 * shared with the source. Rows keep their order within each part.
 */

type Numbers = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

/** Where a row goes, from the UTF-8 bytes `bytes[start, end)` of its key column: a part, or −1 for none. */
export type RowAssigner = (bytes: Uint8Array, start: number, end: number) => number;

const bit = (bitmap: Uint8Array, i: number) => ((bitmap[i >>> 3] as number) >>> (i & 7)) & 1;

/** The bits of `rows` (offset by `first`) as a new bitmap; also how many are 0. */
function takeBits(bitmap: Uint8Array, first: number, rows: Int32Array, count: number) {
  const out = new Uint8Array((count + 7) >>> 3);
  let zeros = 0;
  for (let j = 0; j < count; j++) {
    if (bit(bitmap, first + (rows[j] as number)) === 1)
      out[j >>> 3] = (out[j >>> 3] as number) | (1 << (j & 7));
    else zeros++;
  }
  return { bits: out, zeros };
}

/**
 * A fixed-width buffer's values at `rows`, as a new array of the same type. Copied through a view
 * of one type per width (bytes, 16-bit, 32-bit, or two 32-bit words), so each copy loop sees one
 * array type only and stays fast whatever the column's type.
 */
function takeValues<T extends Numbers | BigInt64Array | Float64Array>(
  values: T,
  first: number,
  rows: Int32Array,
  count: number,
): T {
  const out = new (values.constructor as new (length: number) => T)(count);
  const width = values.BYTES_PER_ELEMENT;
  const words = width === 8 ? 2 : 1;
  const View = width === 1 ? Uint8Array : width === 2 ? Uint16Array : Int32Array;
  const from = new View(values.buffer as ArrayBuffer, values.byteOffset, values.length * words);
  const to = new View(out.buffer as ArrayBuffer, out.byteOffset, count * words);
  if (from instanceof Uint8Array) copyBytes(from, to as Uint8Array, first, rows, count);
  else if (from instanceof Uint16Array) copyHalves(from, to as Uint16Array, first, rows, count);
  else if (words === 1) copyWords(from, to as Int32Array, first, rows, count);
  else copyDoubleWords(from, to as Int32Array, first, rows, count);
  return out;
}

function copyBytes(from: Uint8Array, to: Uint8Array, first: number, rows: Int32Array, count: number): void {
  for (let j = 0; j < count; j++) to[j] = from[first + (rows[j] as number)] as number;
}

function copyHalves(
  from: Uint16Array,
  to: Uint16Array,
  first: number,
  rows: Int32Array,
  count: number,
): void {
  for (let j = 0; j < count; j++) to[j] = from[first + (rows[j] as number)] as number;
}

function copyWords(from: Int32Array, to: Int32Array, first: number, rows: Int32Array, count: number): void {
  for (let j = 0; j < count; j++) to[j] = from[first + (rows[j] as number)] as number;
}

function copyDoubleWords(
  from: Int32Array,
  to: Int32Array,
  first: number,
  rows: Int32Array,
  count: number,
): void {
  for (let j = 0; j < count; j++) {
    const at = (first + (rows[j] as number)) * 2;
    to[2 * j] = from[at] as number;
    to[2 * j + 1] = from[at + 1] as number;
  }
}

/** A `Utf8` buffer pair's values at `rows`. */
function takeUtf8(data: Data, rows: Int32Array, count: number) {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const first = data.offset;
  const valueOffsets = new Int32Array(count + 1);
  let length = 0;
  for (let j = 0; j < count; j++) {
    const at = first + (rows[j] as number);
    length += (offsets[at + 1] as number) - (offsets[at] as number);
    valueOffsets[j + 1] = length;
  }
  const out = new Uint8Array(length);
  for (let j = 0; j < count; j++) {
    const at = first + (rows[j] as number);
    const from = offsets[at] as number;
    const to = offsets[at + 1] as number;
    let position = valueOffsets[j] as number;
    if (to - from > 32) out.set(bytes.subarray(from, to), position);
    else for (let b = from; b < to; b++) out[position++] = bytes[b] as number;
  }
  return { valueOffsets, data: out };
}

/** The column `data` reduced to `rows` (indexes into it), same type. */
function takeData(data: Data, rows: Int32Array, count: number): Data {
  const type = data.type;
  const first = data.offset;
  let nullCount = 0;
  let nullBitmap: Uint8Array | undefined;
  if (data.nullCount > 0 && data.nullBitmap !== undefined && data.nullBitmap.length > 0) {
    const { bits, zeros } = takeBits(data.nullBitmap, first, rows, count);
    nullBitmap = zeros > 0 ? bits : undefined;
    nullCount = zeros;
  }
  const common = { type, length: count, nullCount, nullBitmap };
  if (DataType.isUtf8(type)) return makeData({ ...common, ...takeUtf8(data, rows, count) } as never);
  if (DataType.isBool(type)) {
    return makeData({
      ...common,
      data: takeBits(data.values as Uint8Array, first, rows, count).bits,
    } as never);
  }
  if (DataType.isDictionary(type) || DataType.isInt(type) || DataType.isDate(type)) {
    return makeData({
      ...common,
      data: takeValues(data.values as Numbers, first, rows, count),
      ...(DataType.isDictionary(type) ? { dictionary: data.dictionary } : {}),
    } as never);
  }
  throw new TypeError(`cannot split a staged column of type ${type}`);
}

/**
 * Splits `table` into `parts` Arrow IPC files of its schema: each row goes to the part `assign`
 * gives it from the bytes of its `column` value (a `Utf8` column; a null value is empty), or to
 * no part (−1). Every part is written, an empty one as a file with the schema and no rows.
 * @throws Error when the table has no `Utf8` column `column`.
 * @throws RangeError when `assign` returns a part outside [−1, parts).
 */
export function splitStagedTable(
  table: Table,
  column: string,
  parts: number,
  assign: RowAssigner,
): Uint8Array[] {
  const schema = table.schema;
  const index = schema.fields.findIndex((f) => f.name === column);
  if (index < 0 || !DataType.isUtf8(schema.fields[index]?.type)) {
    throw new Error(`staged file has no text column ${column}`);
  }
  const batches: RecordBatch[][] = Array.from({ length: parts }, () => []);
  for (const batch of table.batches) {
    const key = batch.getChildAt(index)?.data[0] as Data;
    const offsets = key.valueOffsets as Int32Array;
    const bytes = key.values as Uint8Array;
    const first = key.offset;
    const rows: Int32Array[] = Array.from({ length: parts }, () => new Int32Array(batch.numRows));
    const counts = new Int32Array(parts);
    for (let i = 0; i < batch.numRows; i++) {
      const part = assign(bytes, offsets[first + i] as number, offsets[first + i + 1] as number);
      if (part === -1) continue;
      if (!(part >= 0 && part < parts)) throw new RangeError(`row assigned to part ${part} of ${parts}`);
      (rows[part] as Int32Array)[(counts[part] as number)++] = i;
    }
    for (let part = 0; part < parts; part++) {
      const count = counts[part] as number;
      if (count === 0) continue;
      const chosen = rows[part] as Int32Array;
      const children = schema.fields.map((_, c) =>
        takeData(batch.getChildAt(c)?.data[0] as Data, chosen, count),
      );
      const data = makeData({ type: new Struct(schema.fields), length: count, nullCount: 0, children });
      (batches[part] as RecordBatch[]).push(new RecordBatch(schema, data));
    }
  }
  return batches.map((partBatches) => {
    const writer = new RecordBatchFileWriter();
    writer.reset(undefined, schema);
    for (const batch of partBatches) writer.write(batch);
    writer.finish();
    return writer.toUint8Array(true);
  });
}
