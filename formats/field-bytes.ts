import {
  amount,
  date,
  type FieldKind,
  flag,
  idNumber,
  month,
  optionalAmount,
  optionalIdNumber,
  optionalMonth,
  requiredText,
  text,
  upperText,
} from '#schemas/dataset-fields.ts';
import { daysInMonth } from '#schemas/month.ts';

/**
 * Byte readers of dataset fields: the value of a field read straight from its UTF-8 bytes in the
 * file, for the common forms only, so that staging makes no string for most fields. The kind's
 * zod schema (`dataset-fields.ts`, through its `fieldReader`) stays the definition: a byte reader
 * only ever accepts, and only where the answer is plain — the field has no white space to trim,
 * the value is the bytes themselves or a number read from ASCII digits — and gives up on
 * anything else, which the schema then reads. A property test (`test/unit/formats/field-bytes.test.ts`)
 * shows that whatever a byte reader accepts the schema accepts with the same value.
 */

/** Where a {@link ByteReader} puts what it read. */
export interface ByteValue {
  /** The value is the field's bytes themselves (a text column). */
  raw: boolean;
  /** Otherwise the value: integer fen, `undefined` for an empty optional amount, a date's day number, a flag. */
  value: unknown;
}

/**
 * Reads the field `bytes[start, end)` (valid UTF-8): `true` with `out` set when the value is
 * plain, `false` when the kind's schema must judge the field.
 */
export type ByteReader = (bytes: Uint8Array, start: number, end: number, out: ByteValue) => boolean;

const isAsciiSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/**
 * Whether the field starts or ends with white space `cleanValue` trims: ASCII white space,
 * U+00A0 (C2 A0) or U+3000 (E3 80 80). Valid UTF-8, so those bytes can only be those characters.
 */
function hasEdgeSpace(bytes: Uint8Array, start: number, end: number): boolean {
  const first = bytes[start] as number;
  if (isAsciiSpace(first)) return true;
  if (first === 0xc2 && bytes[start + 1] === 0xa0) return true;
  if (first === 0xe3 && bytes[start + 1] === 0x80 && bytes[start + 2] === 0x80) return true;
  const last = bytes[end - 1] as number;
  if (isAsciiSpace(last)) return true;
  if (last === 0xa0 && end - start >= 2 && bytes[end - 2] === 0xc2) return true;
  return last === 0x80 && end - start >= 3 && bytes[end - 2] === 0x80 && bytes[end - 3] === 0xe3;
}

/** Whether every byte is ASCII and none a lower-case letter (upper-casing changes nothing). */
function isUpperAscii(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = bytes[i] as number;
    if (c >= 0x80 || (c >= 0x61 && c <= 0x7a)) return false;
  }
  return true;
}

const raw = (out: ByteValue): true => {
  out.raw = true;
  return true;
};

const number = (out: ByteValue, value: unknown): true => {
  out.raw = false;
  out.value = value;
  return true;
};

/** `cleanValue`: the bytes when there is nothing to trim (empty included). */
const readText: ByteReader = (bytes, start, end, out) =>
  (start === end || !hasEdgeSpace(bytes, start, end)) && raw(out);

const readRequiredText: ByteReader = (bytes, start, end, out) =>
  start < end && !hasEdgeSpace(bytes, start, end) && raw(out);

const readUpperText: ByteReader = (bytes, start, end, out) =>
  (start === end || (!hasEdgeSpace(bytes, start, end) && isUpperAscii(bytes, start, end))) && raw(out);

const readIdNumber: ByteReader = (bytes, start, end, out) =>
  start < end && !hasEdgeSpace(bytes, start, end) && isUpperAscii(bytes, start, end) && raw(out);

const readOptionalIdNumber: ByteReader = (bytes, start, end, out) =>
  (start === end || (!hasEdgeSpace(bytes, start, end) && isUpperAscii(bytes, start, end))) && raw(out);

/** The number of the ASCII digits `bytes[start, end)`, or −1 when one is not a digit. */
function digits(bytes: Uint8Array, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = (bytes[i] as number) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** The month `MM` of `YYYY-MM` at `start`, or −1 when the 7 bytes are not a month. */
function monthAt(bytes: Uint8Array, start: number): number {
  if (bytes[start + 4] !== 0x2d || digits(bytes, start, start + 4) < 0) return -1;
  const m = digits(bytes, start + 5, start + 7);
  return m >= 1 && m <= 12 ? m : -1;
}

/** `YYYY-MM-DD`, a real date: its day number (as `daysFromDate`). */
const readDate: ByteReader = (bytes, start, end, out) => {
  if (end - start !== 10 || bytes[start + 7] !== 0x2d) return false;
  const m = monthAt(bytes, start);
  if (m < 0) return false;
  let y = digits(bytes, start, start + 4);
  const d = digits(bytes, start + 8, start + 10);
  if (d < 1 || d > daysInMonth(y, m)) return false;
  // H. Hinnant's days_from_civil, as `daysFromDate`.
  if (m <= 2) y -= 1;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return number(out, era * 146097 + doe - 719468);
};

const readMonth: ByteReader = (bytes, start, end, out) =>
  end - start === 7 && monthAt(bytes, start) > 0 && raw(out);

const readOptionalMonth: ByteReader = (bytes, start, end, out) =>
  (start === end || (end - start === 7 && monthAt(bytes, start) > 0)) && raw(out);

/**
 * A plain decimal (`parsePartnerAmount`) of at most 13 integer digits, so that the fen stay far
 * below `MAX_AMOUNT_FEN`: digits, then optionally `.` and one or two digits.
 */
function fenOf(bytes: Uint8Array, start: number, end: number): number {
  let dot = start;
  while (dot < end && bytes[dot] !== 0x2e) dot++;
  if (dot === start || dot - start > 13) return -1;
  const yuan = digits(bytes, start, dot);
  if (yuan < 0) return -1;
  if (dot === end) return yuan * 100;
  const decimals = end - dot - 1;
  if (decimals < 1 || decimals > 2) return -1;
  const cents = digits(bytes, dot + 1, end);
  return cents < 0 ? -1 : yuan * 100 + (decimals === 1 ? cents * 10 : cents);
}

const readAmount: ByteReader = (bytes, start, end, out) => {
  const fen = fenOf(bytes, start, end);
  return fen >= 0 && number(out, fen);
};

const readOptionalAmount: ByteReader = (bytes, start, end, out) => {
  if (start === end) return number(out, undefined);
  const fen = fenOf(bytes, start, end);
  return fen >= 0 && number(out, fen);
};

const readFlag: ByteReader = (bytes, start, end, out) => {
  if (start === end) return number(out, false);
  return end - start === 1 && number(out, bytes[start] === 0x59 || bytes[start] === 0x79);
};

const READERS = new Map<FieldKind, ByteReader>([
  [text, readText],
  [requiredText, readRequiredText],
  [upperText, readUpperText],
  [idNumber, readIdNumber],
  [optionalIdNumber, readOptionalIdNumber],
  [date, readDate],
  [month, readMonth],
  [optionalMonth, readOptionalMonth],
  [amount, readAmount],
  [optionalAmount, readOptionalAmount],
  [flag, readFlag],
]);

/**
 * The byte reader of a kind of field, or `undefined` for a kind without one (codes: the schema
 * reads every field).
 */
export function byteReaderOf(kind: FieldKind): ByteReader | undefined {
  return READERS.get(kind);
}
