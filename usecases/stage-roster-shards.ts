import { type Table, tableFromIPC } from 'apache-arrow';
import { partitionOfBytes, partsFor } from '#domain/month-check/partition.ts';
import { splitStagedTable } from '#formats/staged-table-split.ts';
import { rosterAccountShard, rosterIdShard, rosterShards } from '#schemas/bucket-layout.ts';
import { type RosterShards, RosterShardsSchema, type StagedShards } from '#schemas/staged-shards.ts';
import type { ObjectStore, UploadIdentity } from './ports.ts';
import { readJson } from './read-json.ts';
import { ROWS_PER_STAGED_SHARD } from './stage-dataset-file.ts';

const ARROW = 'application/vnd.apache.arrow.file';

/** The columns the shared-account pass reads of each valid row: its place, account and household. */
export const ACCOUNT_SHARD_COLUMNS = ['row', 'account_number', 'household_id'] as const;

/** Which upload: what its staged keys are built from. */
export type UploadPlace = Pick<UploadIdentity, 'month' | 'batch' | 'uploadId'>;

const ofUpload = (u: UploadPlace) => ({ month: u.month, batch: u.batch, uploadId: u.uploadId });

/** Where an upload's shard manifest is (`rosterShards` of the bucket layout). */
export const rosterShardsKey = (u: UploadPlace): string => rosterShards.key(ofUpload(u));

/**
 * Splits `table`'s rows by the hash of `column` into `count` shards (`partitionOfBytes`, the one
 * hash of the month run), writes each shard that has rows at `keyOf(shard)` and returns the
 * shards' manifest. Rows keep their order within a shard.
 */
async function writeShards(
  table: Table,
  column: string,
  count: number,
  keyOf: (shard: number) => string,
  store: ObjectStore,
): Promise<StagedShards> {
  const rows = new Array<number>(count).fill(0);
  const parts = splitStagedTable(table, column, count, (bytes, start, end) => {
    const shard = partitionOfBytes(bytes, start, end, count);
    rows[shard] = (rows[shard] as number) + 1;
    return shard;
  });
  const shards: StagedShards['shards'] = [];
  for (let shard = 0; shard < count; shard++) {
    const key = keyOf(shard);
    const n = rows[shard] as number;
    shards.push({ key, rows: n });
    if (n > 0) await store.put(key, parts[shard] as Uint8Array, ARROW);
  }
  return { count, shards };
}

/**
 * Stages an accepted upload's valid rows (the staged roster, Arrow IPC) again hash-partitioned,
 * so that no later step reads a whole roster to find its people: by ID number (what a month-run
 * partition reads, `shardsOfPartition`) and, as (row, account number, household id), by account
 * number (what the shared-account pass reads). Both use the smallest power of two of shards that
 * gives each at most {@link ROWS_PER_STAGED_SHARD} rows. The manifest is written last: a manifest
 * that exists names shards that exist.
 * @returns the manifest written at {@link rosterShardsKey}.
 */
export async function stageRosterShards(
  upload: UploadPlace,
  staged: Uint8Array,
  deps: { store: ObjectStore; rowsPerShard?: number | undefined },
): Promise<RosterShards> {
  const table = tableFromIPC(staged);
  const count = partsFor(table.numRows, deps.rowsPerShard ?? ROWS_PER_STAGED_SHARD);
  const at = ofUpload(upload);
  const byId = await writeShards(
    table,
    'id_number',
    count,
    (shard) => rosterIdShard.key({ ...at, shard }),
    deps.store,
  );
  const accounts = table.select([...ACCOUNT_SHARD_COLUMNS]);
  const byAccount = await writeShards(
    accounts,
    'account_number',
    count,
    (shard) => rosterAccountShard.key({ ...at, shard }),
    deps.store,
  );
  const manifest: RosterShards = { rows: table.numRows, byId, byAccount };
  await deps.store.put(rosterShardsKey(upload), JSON.stringify(manifest, null, 2), 'application/json');
  return manifest;
}

/**
 * The shard manifest of an accepted upload.
 * @throws Error when it is absent or unreadable (an upload accepted before rosters were staged
 *   in shards: upload it again).
 */
export async function readRosterShards(upload: UploadPlace, store: ObjectStore): Promise<RosterShards> {
  const key = rosterShardsKey(upload);
  const parsed = RosterShardsSchema.safeParse(await readJson<unknown>(store, key).catch(() => undefined));
  if (!parsed.success) {
    throw new Error(
      `${key}: the staged shards of batch ${upload.batch} are missing or unreadable; upload it again`,
    );
  }
  return parsed.data;
}
