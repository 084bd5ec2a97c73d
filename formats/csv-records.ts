import { CsvParser } from './csv-parser.ts';
import type { RawRecord } from './raw-record.ts';
import { decodeText, type TextEncoding } from './text-decoding.ts';
import { UnreadableFileError } from './unreadable-file-error.ts';

/**
 * Reads the records of a CSV file as it streams in, one batch per decoded chunk (batches are never
 * empty), numbered from 0 (the header, unless a roster has a title above it); blank records are
 * kept (with their row number) for the consumer to skip. Fields are raw: untrimmed, quotes removed,
 * `""` unescaped.
 *
 * Only the current chunk and the current, unfinished record are held, never the whole text.
 *
 * Which error a damaged file fails with does not depend on how its bytes were cut into chunks: after
 * a parse error the rest of the file is still decoded, and a decoding error anywhere in it comes
 * first (a chunk is decoded whole before it is parsed, so otherwise a chunk size could decide).
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
  let broken: UnreadableFileError | undefined;
  for await (const text of decodeText(bytes, encoding)) {
    if (broken !== undefined) continue;
    let records: RawRecord[];
    try {
      records = parser.push(text);
    } catch (error) {
      if (!(error instanceof UnreadableFileError)) throw error;
      broken = error;
      continue;
    }
    if (records.length > 0) yield records;
  }
  if (broken !== undefined) throw broken;
  const last = parser.end();
  if (last.length > 0) yield last;
}
