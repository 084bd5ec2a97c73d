import { z } from 'zod';

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

/** Columns of `sample.csv` (contract section 4): the households drawn for home visits. */
export const SAMPLE_CSV_COLUMNS = ['month', 'town', 'household_id', 'id_number', 'reason'] as const;

/**
 * Input of DrawMonthSample. Without `seed`, the seed of the month's existing sample of the same run
 * is reused (the sample is not redrawn), else a random one is chosen; with `seed`, the sample is
 * drawn again from it.
 *
 * @example
 * { month: '2026-10', bucket: 'payguard-data', seed: '2026-10 bureau draw' }
 */
export const DrawMonthSampleInputSchema = z.object({
  month: Month,
  bucket: z.string().min(1),
  seed: z.string().min(1).max(200).optional(),
});
export type DrawMonthSampleInput = z.infer<typeof DrawMonthSampleInputSchema>;

/** Output of DrawMonthSample. */
export const DrawMonthSampleResultSchema = z.object({
  month: Month,
  sampleKey: z.string(),
  sampleJsonKey: z.string(),
  seed: z.string().min(1),
  visits: z.number().int().nonnegative(),
  replacements: z.number().int().nonnegative(),
  /** True when the existing sample of the run was kept (no seed given): nothing was written. */
  reused: z.boolean(),
});
export type DrawMonthSampleResult = z.infer<typeof DrawMonthSampleResultSchema>;
