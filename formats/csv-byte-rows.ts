import { isUtf8 } from 'node:buffer';
import { MAX_RECORD_CHARS } from './csv-parser.ts';

const NUL = 0x00;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;

/**
 * The file is not one {@link CsvByteRows} reads: quoting other than whole fields without `""`, a NUL, bytes that are not UTF-8, a
 * second byte order mark or a record over {@link MAX_RECORD_CHARS} bytes. The caller reads it
 * again with the text reader (`readRecords`), which decides what such a file means.
 */
export class NotPlainUtf8CsvError extends Error {
  override name = 'NotPlainUtf8CsvError';

  /**
   * @param notUtf8 the bytes are not UTF-8: the text reader, which tries UTF-8 first, ends up
   *   reading the file as GB18030, so the caller may read it so at once.
   */
  constructor(
    message: string,
    readonly notUtf8 = false,
  ) {
    super(message);
  }
}

/**
 * The records that ended in one chunk of bytes: record `r` (numbered `firstRow + r` in the file,
 * 0 being the header) has the fields `fieldStart[r] ≤ f < fieldStart[r + 1]`, field `f` being the
 * UTF-8 bytes `bytes[start[f], end[f])`. Valid until the next call of the splitter.
 */
export interface ByteRows {
  readonly bytes: Uint8Array;
  /** The same bytes as a Buffer, to decode a field when it must become a string. */
  readonly text: Buffer;
  readonly count: number;
  readonly firstRow: number;
  readonly fieldStart: Int32Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
}

const BOM = [0xef, 0xbb, 0xbf] as const;

/** The index of the first byte from `j` that may end a field (at most a comma), or `n`. */
function nextSpecial(bytes: Uint8Array, j: number, n: number): number {
  while (j < n && (bytes[j] as number) > COMMA) j++;
  return j;
}

const startsWithBom = (bytes: Uint8Array, at: number) =>
  bytes[at] === BOM[0] && bytes[at + 1] === BOM[1] && bytes[at + 2] === BOM[2];

/** `buffer` when it holds `length` bytes, else a new one of at least twice its size (contents not kept). */
const withRoom = (buffer: Buffer, length: number): Buffer =>
  buffer.length >= length ? buffer : Buffer.allocUnsafe(Math.max(length, 2 * buffer.length));

/**
 * Splits the bytes of a CSV file into records of field byte ranges, with no
 * string made: the staging hot path, where the text reader (`CsvParser` over decoded text) makes
 * a string per field and an array per record. It reads exactly the files on which it agrees with
 * the text reader, and refuses the others with {@link NotPlainUtf8CsvError}: UTF-8 (checked,
 * natively, before a record is given out), a leading UTF-8 BOM dropped, records ended by CRLF,
 * LF or a lone CR (the last one with or without), comma separated, no NUL, and quotes only
 * around whole fields that hold no `""` (a quoted field's value is the bytes between its quotes,
 * line breaks and commas included).
 *
 * Push parser: chunks may be cut anywhere; only the unfinished record is carried over.
 */
export class CsvByteRows {
  /**
   * The unfinished record's bytes (the first {@link carried}), and the carried bytes joined with
   * the next chunk: both kept and reused (the rows given out are valid only until the next call),
   * so a file's chunks allocate nothing here. A new Buffer per chunk counted towards V8's next
   * full collection, one every ~64 MB of Buffers.
   */
  private carry: Buffer = Buffer.alloc(0);
  private carried = 0;
  private joined: Buffer = Buffer.alloc(0);
  private atStart = true;
  private pendingCr = false;
  private nextRow = 0;
  private fieldStart = new Int32Array(1024);
  private starts = new Int32Array(8192);
  private ends = new Int32Array(8192);

  /** The records that end in `chunk`. */
  push(chunk: Uint8Array): ByteRows {
    const view = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.carried === 0) return this.split(view, false);
    const length = this.carried + view.length;
    this.joined = withRoom(this.joined, length);
    this.joined.set(this.carry.subarray(0, this.carried));
    this.joined.set(view, this.carried);
    return this.split(this.joined.subarray(0, length), false);
  }

  /** The last record, when the file does not end with a line break. */
  end(): ByteRows {
    return this.split(this.carry.subarray(0, this.carried), true);
  }

  private split(buffer: Buffer, last: boolean): ByteRows {
    const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
    const n = bytes.length;
    let p = 0;
    if (this.atStart) {
      // Wait for six bytes (or the end): the text reader drops a BOM and then a U+FEFF after it.
      if (n < 6 && !last) return this.keep(buffer, 0, 0);
      this.atStart = false;
      if (startsWithBom(bytes, 0)) {
        if (startsWithBom(bytes, 3)) throw new NotPlainUtf8CsvError('two byte order marks');
        p = 3;
      }
    }
    if (this.pendingCr && p < n) {
      this.pendingCr = false;
      if (bytes[p] === LF) p++;
    }
    const from = p;
    let count = 0;
    let f = 0;
    let fieldAt = p;
    let recordAt = p;
    // When ≥ 0, the current field was quoted: its value ends at its closing quote.
    let quotedEnd = -1;
    for (let j = p; j < n; j++) {
      j = nextSpecial(bytes, j, n);
      if (j === n) break;
      const c = bytes[j] as number;
      if (c === COMMA) {
        if (f >= this.starts.length) this.grow();
        this.starts[f] = fieldAt;
        this.ends[f] = quotedEnd >= 0 ? quotedEnd : j;
        quotedEnd = -1;
        f++;
        fieldAt = j + 1;
      } else if (c === LF || c === CR) {
        if (f >= this.starts.length) this.grow();
        this.starts[f] = fieldAt;
        this.ends[f] = quotedEnd >= 0 ? quotedEnd : j;
        quotedEnd = -1;
        f++;
        if (count + 1 >= this.fieldStart.length) {
          const grown = new Int32Array(this.fieldStart.length * 2);
          grown.set(this.fieldStart);
          this.fieldStart = grown;
        }
        this.fieldStart[++count] = f;
        if (c === CR) {
          if (j + 1 < n) {
            if (bytes[j + 1] === LF) j++;
          } else this.pendingCr = true;
        }
        fieldAt = j + 1;
        recordAt = j + 1;
      } else if (c === QUOTE) {
        // A quoted field without `""` in it is the bytes between its quotes; anything else
        // about quotes (an escaped quote, a quote inside a field, text after the closing one)
        // is left to the text reader.
        if (j !== fieldAt) throw new NotPlainUtf8CsvError('quote inside a field');
        let k = j + 1;
        while (k < n && bytes[k] !== QUOTE) {
          if (bytes[k] === NUL) throw new NotPlainUtf8CsvError('NUL byte');
          k++;
        }
        if (k === n || (k + 1 === n && !last)) {
          if (last) throw new NotPlainUtf8CsvError('unterminated quote');
          break; // The record ends in a later chunk.
        }
        const after = k + 1 < n ? (bytes[k + 1] as number) : LF;
        if (after !== COMMA && after !== LF && after !== CR) {
          throw new NotPlainUtf8CsvError(after === QUOTE ? 'escaped quote' : 'text after a closing quote');
        }
        fieldAt = j + 1;
        quotedEnd = k;
        j = k;
      } else if (c === NUL) {
        throw new NotPlainUtf8CsvError('NUL byte');
      }
    }
    if (last && recordAt < n) {
      // The last record, without a line break after it.
      if (f >= this.starts.length) this.grow();
      this.starts[f] = fieldAt;
      this.ends[f] = quotedEnd >= 0 ? quotedEnd : n;
      f++;
      this.fieldStart[++count] = f;
      recordAt = n;
    }
    if (!isUtf8(bytes.subarray(from, recordAt))) throw new NotPlainUtf8CsvError('not UTF-8', true);
    return this.keep(buffer, recordAt, count);
  }

  /** Carries `buffer[from…]` over to the next chunk and returns the `count` records before it. */
  private keep(buffer: Buffer, from: number, count: number): ByteRows {
    const carried = buffer.length - from;
    if (carried > MAX_RECORD_CHARS) throw new NotPlainUtf8CsvError('record over 1 MiB');
    // `buffer` may be `carry` itself (at the end): `set` copies overlapping bytes as they were.
    this.carry = withRoom(this.carry, carried);
    this.carry.set(buffer.subarray(from));
    this.carried = carried;
    const firstRow = this.nextRow;
    this.nextRow += count;
    this.fieldStart[0] = 0;
    return {
      bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length),
      text: buffer,
      count,
      firstRow,
      fieldStart: this.fieldStart,
      start: this.starts,
      end: this.ends,
    };
  }

  private grow(): void {
    const starts = new Int32Array(this.starts.length * 2);
    starts.set(this.starts);
    this.starts = starts;
    const ends = new Int32Array(this.ends.length * 2);
    ends.set(this.ends);
    this.ends = ends;
  }
}
