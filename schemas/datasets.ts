import { z } from 'zod';
import type { RecordOf } from './dataset-descriptor.ts';
import { BUSINESS } from './datasets/business.ts';
import { CREMATIONS } from './datasets/cremations.ts';
import { DEATHS } from './datasets/deaths.ts';
import { PROXY_ACCOUNTS } from './datasets/proxy-accounts.ts';
import { REGISTRY } from './datasets/registry.ts';
import { SOCIAL_INSURANCE } from './datasets/social-insurance.ts';
import { STAFF_RELATIVES } from './datasets/staff-relatives.ts';
import { StagedShardsSchema } from './staged-shards.ts';

/**
 * The reference, register and partner datasets of contract 2.3 that the month check reads
 * (the towns, the metrics and the bank returns have their own readers), one descriptor each
 * (`schemas/datasets/*.ts`, see `defineDataset`).
 *
 * A dataset is one file (`reference/registry.csv`, the two registers) or one partner folder
 * (every `.csv` file directly in it is read; a folder is one dataset, contract section 1).
 * Header names are the contract's English column names, matched case-insensitively after
 * trimming; extra columns are ignored. Each row is checked by the dataset's zod row schema, whose
 * output is the cleaned row: values trimmed (section 2), ID numbers upper-cased, dates
 * `YYYY-MM-DD` real calendar dates, months `YYYY-MM`, amounts yuan → integer fen.
 */
export const DATASETS = {
  registry: REGISTRY,
  'staff-relatives': STAFF_RELATIVES,
  'proxy-accounts': PROXY_ACCOUNTS,
  deaths: DEATHS,
  cremations: CREMATIONS,
  business: BUSINESS,
  'social-insurance': SOCIAL_INSURANCE,
} as const;

export type DatasetName = keyof typeof DATASETS;

/** Every dataset name, in staging and loading order. */
export const DATASET_NAMES = Object.keys(DATASETS) as DatasetName[];

/** The descriptor of one dataset. */
export type DatasetOf<N extends DatasetName> = (typeof DATASETS)[N];

/** The record a dataset's staged rows load as: what the month check rules read. */
export type DatasetRecord<N extends DatasetName> = RecordOf<DatasetOf<N>>;

/** The records of every dataset, by dataset name. */
export type DatasetRecordLists = { readonly [N in DatasetName]: readonly DatasetRecord<N>[] };

/** Whether a file name is read as part of a partner folder: `.csv` (any case), not starting with `.`. */
export function isDatasetFileName(fileName: string): boolean {
  return fileName.length > 4 && !fileName.startsWith('.') && fileName.slice(-4).toLowerCase() === '.csv';
}

/**
 * The dataset a bucket key belongs to, or `undefined`: the exact key of a single-file dataset, or
 * a `.csv` file (any case, name not starting with `.`) directly in a partner folder. Files of a
 * partner folder that are not read (sub-folders, other extensions, dot files) belong to none:
 * they cannot change the dataset.
 * @example datasetOfKey('partners/deaths/2026-10.csv') // 'deaths'
 */
export function datasetOfKey(key: string): DatasetName | undefined {
  for (const name of DATASET_NAMES) {
    const source = DATASETS[name].source;
    if (source.kind === 'file') {
      if (key === source.key) return name;
      continue;
    }
    if (!key.startsWith(source.prefix)) continue;
    const fileName = key.slice(source.prefix.length);
    return !fileName.includes('/') && isDatasetFileName(fileName) ? name : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Snapshot.

/** One source file of a snapshot: as listed, with what was read from it. */
export const DatasetSourceSchema = z.object({
  key: z.string(),
  etag: z.string(),
  size: z.number().int().nonnegative(),
  /** Rows staged. */
  rows: z.number().int().nonnegative(),
  /** Rows skipped because a value could not be parsed (blank records are not counted). */
  skipped: z.number().int().nonnegative(),
});

/** The first skipped rows, as evidence. `line` is the record number after the header (section 2). */
export const SkippedSampleSchema = z.object({
  key: z.string(),
  line: z.number().int().positive(),
  reason: z.string(),
});

/** Most skipped rows kept as samples in a snapshot. */
export const MAX_SKIPPED_SAMPLES = 100;

const DatasetNameSchema = z.enum(DATASET_NAMES as [DatasetName, ...DatasetName[]]);

/** Earliest and latest date (or month) of staged rows, for date-bearing datasets with rows. */
const DateRangeSchema = z.object({ from: z.string(), to: z.string() });

/**
 * One source file of a dataset staged on its own (`staged/dataset-files/{dataset}/{fileId}.json`,
 * `datasetFile` of the bucket layout): its good rows hash-partitioned by person into Arrow IPC
 * shards, in file order within a shard. The file id is derived from the staging version, the
 * dataset, and the file's key and ETag, so a file is staged once whatever snapshots list it: the
 * files of a dataset that land together are staged side by side, each by its own arrival.
 */
export const DatasetFileStagingSchema = z.object({
  dataset: DatasetNameSchema,
  fileId: z.string().regex(/^[0-9a-f]{16}$/),
  stagedAt: z.string(),
  source: DatasetSourceSchema,
  /** The file's first skipped rows (at most {@link MAX_SKIPPED_SAMPLES}). */
  skippedSamples: z.array(SkippedSampleSchema).max(MAX_SKIPPED_SAMPLES),
  dateRange: DateRangeSchema.optional(),
  shards: StagedShardsSchema,
});

export type DatasetFileStaging = z.output<typeof DatasetFileStagingSchema>;

/** A source of a snapshot with the shards of its staging (see {@link DatasetFileStagingSchema}). */
const StagedDatasetSourceSchema = DatasetSourceSchema.extend({ shards: StagedShardsSchema });

/**
 * One staging of a dataset (`staged/datasets/{dataset}/{snapshotId}.json`): its source files in
 * key order, each with the shards it was staged into. The snapshot id is derived from the sorted
 * (key, ETag) list of its sources, so the same files give the same snapshot. `missing` is set (and
 * there is no staged file) when a single-file dataset's file is absent: for the registry the month
 * run must stop, for a register it means no records.
 */
export const DatasetSnapshotSchema = z.object({
  dataset: DatasetNameSchema,
  snapshotId: z.string().regex(/^[0-9a-f]{16}$/),
  stagedAt: z.string(),
  sources: z.array(StagedDatasetSourceSchema),
  rows: z.number().int().nonnegative(),
  skippedRows: z.number().int().nonnegative(),
  /** The first skipped rows of the sources, in source order. */
  skippedSamples: z.array(SkippedSampleSchema).max(MAX_SKIPPED_SAMPLES),
  dateRange: DateRangeSchema.optional(),
  missing: z.literal(true).optional(),
});

export type DatasetSnapshot<N extends DatasetName = DatasetName> = Omit<
  z.output<typeof DatasetSnapshotSchema>,
  'dataset'
> & { readonly dataset: N };
