import { z } from 'zod';

/** A power of two from 1 to 2^30: a shard or partition count (see `shardsOfPartition`). */
const powerOfTwo = z
  .number()
  .int()
  .min(1)
  .max(2 ** 30)
  .refine((n) => (n & (n - 1)) === 0, 'not a power of two');

/** One shard of a staged file: its key and how many rows it holds (0: no file was written). */
export const StagedShardSchema = z.object({
  key: z.string().min(1),
  rows: z.number().int().nonnegative(),
});

/**
 * The manifest of a staged file split into shards by a text column's hash (`partitionOf` of
 * `domain/month-check/partition.ts`, modulo `count`): a dataset snapshot's rows by their person,
 * a roster upload's rows by ID number or its accounts by account number. `shards[s]` holds the
 * rows whose hash modulo `count` is `s`, in source order; a shard with no rows has no file.
 */
export const StagedShardsSchema = z
  .object({
    count: powerOfTwo,
    shards: z.array(StagedShardSchema),
  })
  .refine((m) => m.shards.length === m.count, 'one shard entry per shard');

export type StagedShard = z.output<typeof StagedShardSchema>;
export type StagedShards = z.output<typeof StagedShardsSchema>;

/**
 * What a roster upload's staging writes besides the whole staged roster
 * (`staged/rosters/{month}/{batch}/{uploadId}/shards.json`): its valid rows by ID number (what a run
 * partition reads) and its (row, account number, household id) triples by account number (what
 * the shared-account pass reads).
 */
export const RosterShardsSchema = z.object({
  rows: z.number().int().nonnegative(),
  byId: StagedShardsSchema,
  byAccount: StagedShardsSchema,
});

export type RosterShards = z.output<typeof RosterShardsSchema>;
