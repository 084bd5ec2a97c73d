import { z } from 'zod';
import { MonthSchema } from './month.ts';

/** Columns of `sample.csv` (contract section 4): the households drawn for home visits. */
export const SAMPLE_CSV_COLUMNS = ['month', 'town', 'household_id', 'id_number', 'reason'] as const;

/**
 * Input of DrawSample. Without `seed`, the seed of the month's existing sample of the same run
 * is reused (the sample is not redrawn), else a random one is chosen; with `seed`, the sample is
 * drawn again from it. The month-watch workflow passes an empty `seed` when it was started without
 * one: an empty seed is no seed.
 *
 * @example
 * { month: '2026-10', bucket: 'payguard-data', seed: '2026-10 bureau draw' }
 */
export const DrawMonthSampleInputSchema = z.object({
  month: MonthSchema,
  bucket: z.string().min(1),
  seed: z
    .string()
    .max(200)
    .optional()
    .transform((seed) => seed || undefined),
});
export type DrawMonthSampleInput = z.infer<typeof DrawMonthSampleInputSchema>;

/** Output of DrawSample. */
export const DrawMonthSampleResultSchema = z.object({
  month: MonthSchema,
  sampleKey: z.string(),
  sampleJsonKey: z.string(),
  seed: z.string().min(1),
  visits: z.number().int().nonnegative(),
  replacements: z.number().int().nonnegative(),
  /** True when the existing sample of the run was kept (no seed given): nothing was written. */
  reused: z.boolean(),
});
export type DrawMonthSampleResult = z.infer<typeof DrawMonthSampleResultSchema>;
