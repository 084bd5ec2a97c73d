import { z } from 'zod';
import { CaughtErrorSchema } from './caught-error.ts';
import { MapRunOutputSchema } from './map-run.ts';
import { MonthSchema } from './month.ts';

/**
 * Input of the month-run workflow.
 * @example { month: '2026-10', bucket: 'payguard-data', trigger: 'cli' }
 */
export const MonthRunInputSchema = z.object({
  month: MonthSchema,
  bucket: z.string().min(1),
  /** Who or what started the run (`all-expected-batches-accepted`, `cli`, an operator). */
  trigger: z.string().optional(),
});
export type MonthRunInput = z.infer<typeof MonthRunInputSchema>;

/**
 * Output of PrepareMonthRun: the run, and where the partition check (a distributed Map) reads its
 * items (`itemsKey`, one per partition) and writes its results (`resultsPrefix`); likewise the
 * shared-account pass, a distributed Map over the account partitions (`accountItemsKey`,
 * `accountResultsPrefix`).
 */
export const PreparedMonthRunSchema = z.object({
  month: MonthSchema,
  bucket: z.string().min(1),
  runId: z.string().regex(/^[0-9a-f]{16}$/),
  manifestKey: z.string(),
  partitions: z.array(z.number().int().nonnegative()),
  itemsKey: z.string().min(1),
  resultsPrefix: z.string().min(1),
  accountItemsKey: z.string().min(1),
  accountResultsPrefix: z.string().min(1),
});
export type PreparedMonthRun = z.infer<typeof PreparedMonthRunSchema>;

/** Input of CheckPartition (one Map item). */
export const CheckPartitionInputSchema = z.object({
  month: MonthSchema,
  bucket: z.string().min(1),
  runId: z.string(),
  manifestKey: z.string(),
  partition: z.number().int().nonnegative(),
});

/** Input of FindSharedAccounts (one item of the shared-account pass: an account partition). */
export const FindSharedAccountsInputSchema = z.object({
  month: MonthSchema,
  bucket: z.string().min(1),
  runId: z.string(),
  manifestKey: z.string(),
  partition: z.number().int().nonnegative(),
});

/** Output of FindSharedAccounts: where its account partition's shared accounts are, and how many. */
export const SharedAccountsPartResultSchema = z.object({
  partition: z.number().int().nonnegative(),
  partKey: z.string(),
  accounts: z.number().int().nonnegative(),
});
export type SharedAccountsPartResult = z.infer<typeof SharedAccountsPartResultSchema>;

/** Input of MergeSharedAccounts, once every account partition wrote its part. */
export const MergeSharedAccountsInputSchema = z.object({
  month: MonthSchema,
  bucket: z.string().min(1),
  runId: z.string(),
  manifestKey: z.string(),
});

/** Output of CheckPartition. */
export const PartitionResultSchema = z.object({
  partition: z.number().int().nonnegative(),
  findingsKey: z.string(),
  payees: z.number().int().nonnegative(),
  findings: z.number().int().nonnegative(),
});
export type PartitionResult = z.infer<typeof PartitionResultSchema>;

/**
 * Input of WriteMonthFindings: the prepared run and the partition check's map run, whose
 * ResultWriter wrote every partition's result (`PartitionResultSchema`) to the bucket.
 */
export const WriteMonthFindingsInputSchema = PreparedMonthRunSchema.extend({
  partitionResults: MapRunOutputSchema,
});

/** Input of RecordMonthFailure (`runId` once PrepareMonthRun has fixed the run). */
export const RecordMonthFailureInputSchema = z.object({
  month: MonthSchema,
  bucket: z.string(),
  runId: z.string().optional(),
  error: CaughtErrorSchema,
});

/** Output of CheckMonthComplete (ingest workflow). */
export const MonthCompletenessSchema = z.object({
  month: MonthSchema,
  bucket: z.string(),
  complete: z.boolean(),
  missing: z.array(z.string()),
  /** The month run's execution name: the month and a digest of its batch table (`monthRunName`). */
  runName: z.string().regex(/^\d{4}-\d{2}-[0-9a-f]{24}$/),
});
