import type { RawRecord } from './raw-record.ts';
import { RESTART, readRecords } from './roster-file.ts';

/**
 * Every record of a file, header (row 0) first, restarting when a CSV turns out to be GB18030.
 * For files small enough to hold (reference files, release and bank files, metrics).
 * @throws UnreadableFileError as {@link readRecords} does.
 */
export async function readAllRecords(
  open: () => Promise<AsyncIterable<Uint8Array>>,
  key: string,
  size: number,
): Promise<RawRecord[]> {
  let records: RawRecord[] = [];
  for await (const batch of readRecords(open, key, size)) {
    if (batch === RESTART) {
      records = [];
      continue;
    }
    for (const record of batch) records.push(record);
  }
  return records;
}

/** {@link readAllRecords} of a file already in memory. */
export function recordsOfBytes(bytes: Uint8Array, key: string): Promise<RawRecord[]> {
  return readAllRecords(
    async () =>
      (async function* whole() {
        yield bytes;
      })(),
    key,
    bytes.length,
  );
}

/**
 * Reads a file batch by batch, turning the header (row 0) into `H` and each later record into
 * `T` as it comes, so no whole-file list of raw records is held. A GB18030 restart discards what
 * was converted and starts again from the header.
 * @throws UnreadableFileError as {@link readRecords} does.
 */
export async function convertRecords<H, T>(
  open: () => Promise<AsyncIterable<Uint8Array>>,
  key: string,
  size: number,
  header: (fields: readonly string[]) => H,
  convert: (header: H, record: RawRecord) => T | undefined,
): Promise<{ header: H | undefined; items: T[] }> {
  let resolved: H | undefined;
  let items: T[] = [];
  for await (const batch of readRecords(open, key, size)) {
    if (batch === RESTART) {
      resolved = undefined;
      items = [];
      continue;
    }
    for (const record of batch) {
      if (record.row === 0) resolved = header(record.fields);
      else if (resolved !== undefined) {
        const item = convert(resolved, record);
        if (item !== undefined) items.push(item);
      }
    }
  }
  return { header: resolved, items };
}
