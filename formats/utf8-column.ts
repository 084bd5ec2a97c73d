import { type Data, makeData, Utf8 } from 'apache-arrow';

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
 * A Utf8 column from strings with one native encode (per-value Arrow builders cost more than the
 * rest of validation together). When the encoded length equals the number
 * of UTF-16 units every value is ASCII and the offsets are the string lengths; otherwise each
 * value's UTF-8 length is counted.
 */
export function utf8Data(values: readonly string[], nullBitmap?: Uint8Array, nullCount = 0): Data<Utf8> {
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
  return makeData({
    type: new Utf8(),
    length: values.length,
    nullCount,
    nullBitmap: nullCount > 0 ? nullBitmap : undefined,
    valueOffsets: offsets,
    data,
  });
}
