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
