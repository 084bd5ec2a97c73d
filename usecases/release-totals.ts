import { createHash } from 'node:crypto';
import { ReleaseTotalsTally } from '#domain/release/release-totals.ts';
import { releaseManifest, releaseTotals } from '#schemas/bucket-layout.ts';
import { type ReleaseTotals, ReleaseTotalsSchema } from '#schemas/release-totals.ts';
import type { ObjectStore } from './ports.ts';
import { readJsonIfWhole, readJsonIfWholeAs } from './read-json.ts';
import { openMonthReleaseFile, streamReleaseFile } from './read-release-file.ts';

/**
 * Adds up a release file per town and per category as it streams by, taking its SHA-256 on the way.
 * @param open opens the file's bytes (called once).
 * @throws Error when the file is broken (see `streamReleaseFile`).
 */
export async function addUpRelease(
  month: string,
  key: string,
  open: () => Promise<AsyncIterable<Uint8Array>>,
): Promise<ReleaseTotals> {
  const hash = createHash('sha256');
  const hashed = async () =>
    (async function* passThrough() {
      for await (const chunk of await open()) {
        hash.update(chunk);
        yield chunk;
      }
    })();
  const tally = new ReleaseTotalsTally();
  for await (const payments of streamReleaseFile(hashed, key)) {
    for (const payment of payments) tally.add(payment);
  }
  return tally.totals(month, hash.digest('hex'));
}

/**
 * The month's payments added up per town and per category: `release-totals.json` when the release
 * wrote it; else added up from `release.csv` (a month released before that file existed), else
 * from the latest release candidate; `undefined` when the month has neither file.
 */
export async function monthReleaseTotals(
  store: ObjectStore,
  month: string,
): Promise<ReleaseTotals | undefined> {
  const written = await store.readBytes(releaseTotals.key({ month }));
  if (written !== undefined)
    return ReleaseTotalsSchema.parse(JSON.parse(Buffer.from(written).toString('utf8')));
  const file = await openMonthReleaseFile(store, month);
  return file && addUpRelease(month, file.key, file.open);
}

/**
 * The totals the release wrote beside `release.csv` (`release-totals.json`), when they are those of
 * the release its manifest names (same month, same SHA-256); `undefined` when the month is not
 * released, or either file is absent, unreadable or not of that release.
 */
export async function releasedTotals(store: ObjectStore, month: string): Promise<ReleaseTotals | undefined> {
  const manifest = (await readJsonIfWhole(store, releaseManifest.key({ month }))) as
    | { sha256?: unknown }
    | undefined;
  const sha256 = manifest?.sha256;
  if (typeof sha256 !== 'string') return undefined;
  return readJsonIfWholeAs(
    store,
    releaseTotals.key({ month }),
    ReleaseTotalsSchema,
    (totals) => totals.month === month && totals.releaseSha256 === sha256,
  );
}
