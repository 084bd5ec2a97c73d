import { CsvParser } from './csv-parser.ts';
import type { RawRecord } from './raw-record.ts';
import { decodeText, type TextEncoding } from './text-decoding.ts';

/**
 * Reads the records of a CSV file as it streams in, one batch per decoded chunk (batches are never
 * empty), numbered from 0 (the header, unless a roster has a title above it); blank records are
 * kept (with their row number) for the consumer to skip. Fields are raw: untrimmed, quotes removed,
 * `""` unescaped.
 *
 * Only the current chunk and the current, unfinished record are held, never the whole text.
 *
 * @throws NotUtf8Error in `'utf-8'` mode when the bytes are not valid UTF-8 (records may already have
 *   been yielded: start again from fresh bytes in `'gb18030'` mode, see `readRecords`).
 * @throws UnreadableFileError on invalid GB18030, broken quoting or NUL characters.
 */
export async function* csvRecords(
  bytes: AsyncIterable<Uint8Array>,
  encoding: TextEncoding,
): AsyncGenerator<RawRecord[]> {
  const parser = new CsvParser();
  for await (const text of decodeText(bytes, encoding)) {
    const records = parser.push(text);
    if (records.length > 0) yield records;
  }
  const last = parser.end();
  if (last.length > 0) yield last;
}
