import { z } from 'zod';
import { MonthSchema } from './month.ts';

const Count = z.number().int().nonnegative();

/** Rows, money and distinct payees of the release for one town or one category (codes). */
export const ReleaseGroupTotalSchema = z.object({
  code: z.string(),
  rows: Count,
  amountFen: Count,
  /** Distinct ID numbers paid. */
  recipients: Count,
});
export type ReleaseGroupTotal = z.infer<typeof ReleaseGroupTotalSchema>;

/** Rows, money and distinct payees of the release for one category in one town (codes). */
export const ReleaseTownCategoryTotalSchema = z.object({
  town: z.string(),
  category: z.string(),
  rows: Count,
  amountFen: Count,
  /** Distinct ID numbers paid. */
  recipients: Count,
});
export type ReleaseTownCategoryTotal = z.infer<typeof ReleaseTownCategoryTotalSchema>;

/**
 * `reports/{month}/release-totals.json`: the approved release added up per town and per category,
 * written by the release beside `release.csv` so that the month page (WriteMonthPage, the approval
 * site's `/report`) need not read a million-line file again. Groups in code order.
 * @example { month: '2026-10', releaseSha256: '…', rows: 2, amountFen: 117000,
 *   byTown: [{ code: 'SHIQI', rows: 2, amountFen: 117000, recipients: 2 }],
 *   byCategory: [{ code: 'DIBAO', rows: 1, amountFen: 52000, recipients: 1 }, …] }
 */
export const ReleaseTotalsSchema = z.object({
  month: MonthSchema,
  /** SHA-256 (hex) of the `release.csv` these are the totals of. */
  releaseSha256: z.string().regex(/^[0-9a-f]{64}$/),
  rows: Count,
  amountFen: Count,
  byTown: z.array(ReleaseGroupTotalSchema),
  byCategory: z.array(ReleaseGroupTotalSchema),
  /**
   * Each category of each town, by town then category: what the month watch's indicators need
   * (ComputeMetrics), so it does not read the release again. Absent in a file written before.
   */
  byTownCategory: z.array(ReleaseTownCategoryTotalSchema).optional(),
});
export type ReleaseTotals = z.infer<typeof ReleaseTotalsSchema>;
