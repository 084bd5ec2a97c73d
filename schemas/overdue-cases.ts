import { z } from 'zod';
import { MonthSchema } from './month.ts';

const Count = z.number().int().nonnegative();

/**
 * A case open longer than the overdue limit, as the month page and the bureau's notice list it.
 * Without its case id: a finding's case id is a hash of its month, rule, ID number and category,
 * and beside the masked ID it gives the hidden digits back (a few hundred thousand guesses), so
 * what the bureau is sent or shown carries the masked ID alone. The towns find the case on their
 * desk by month, rule and masked ID.
 */
const OverdueCaseSchema = z.object({
  /** The month the case was opened for (an earlier month's case may still be open). */
  month: MonthSchema,
  town: z.string(),
  code: z.string(),
  /** The ID number masked (`442000********123X`): never the whole number. */
  maskedId: z.string(),
  ageDays: Count,
});
export type OverdueCase = z.infer<typeof OverdueCaseSchema>;

/** At most this many overdue cases are listed one by one in the notice; the rest are counted per town. */
export const OVERDUE_LISTED = 50;

/**
 * The overdue cases of the trailing months as WriteMonthPage found them, passed on to NotifyBureau
 * (`$.page.Payload.overdue`, its input's `page.overdue`) so that the notice counts the cases the page shows without listing the case
 * table again: the count, the count per town (town order), and the oldest {@link OVERDUE_LISTED}.
 */
export const OverdueSummarySchema = z.object({
  /** The limit: open longer than this many days (`caseOverdueDays`). */
  days: Count,
  count: Count,
  perTown: z.array(z.object({ town: z.string(), count: Count })),
  oldest: z.array(OverdueCaseSchema).max(OVERDUE_LISTED),
});
export type OverdueSummary = z.infer<typeof OverdueSummarySchema>;
