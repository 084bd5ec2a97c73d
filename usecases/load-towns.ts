import { parseTowns, TownDirectory } from '#domain/town-directory.ts';
import { recordsOfBytes } from '#formats/all-records.ts';
import type { RawRecord } from '#formats/raw-record.ts';
import { UnreadableFileError } from '#formats/unreadable-file-error.ts';
import { townsFile } from '#schemas/bucket-layout.ts';
import { ReferenceDataError } from '#schemas/reference-data-error.ts';
import type { ObjectStore } from './ports.ts';

/** Reads `reference/towns.csv` from the bucket. Throws `ReferenceDataError` when it is missing or unusable. */
export async function loadTowns(store: ObjectStore): Promise<TownDirectory> {
  const key = townsFile.key();
  const bytes = await store.readBytes(key);
  if (bytes === undefined) throw new ReferenceDataError(`${key} is missing: towns cannot be checked`);
  let records: RawRecord[];
  try {
    records = await recordsOfBytes(bytes, key);
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new ReferenceDataError(`${key}: ${error.reason}`);
    throw error;
  }
  const [header, ...data] = records;
  return new TownDirectory(
    parseTowns(
      header?.fields ?? [],
      data.map((r) => r.fields),
    ),
  );
}
