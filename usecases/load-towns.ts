import { ReferenceDataError } from '#domain/reference-data-error.ts';
import { parseTowns, TownDirectory } from '#domain/town-directory.ts';
import { RESTART, readRecords } from '#formats/roster-file.ts';
import { UnreadableFileError } from '#formats/unreadable-file-error.ts';
import type { ObjectStore } from './ports.ts';

export const TOWNS_KEY = 'reference/towns.csv';

async function* single(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

/** Reads `reference/towns.csv` from the bucket. Throws `ReferenceDataError` when it is missing or unusable. */
export async function loadTowns(store: ObjectStore): Promise<TownDirectory> {
  const bytes = await store.readBytes(TOWNS_KEY);
  if (bytes === undefined) throw new ReferenceDataError(`${TOWNS_KEY} is missing: towns cannot be checked`);
  const records: string[][] = [];
  let header: string[] = [];
  try {
    for await (const batch of readRecords(async () => single(bytes), TOWNS_KEY, bytes.length)) {
      if (batch === RESTART) {
        records.length = 0;
        header = [];
        continue;
      }
      for (const record of batch) {
        if (record.row === 0) header = record.fields;
        else records.push(record.fields);
      }
    }
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new ReferenceDataError(`${TOWNS_KEY}: ${error.reason}`);
    throw error;
  }
  return new TownDirectory(parseTowns(header, records));
}
