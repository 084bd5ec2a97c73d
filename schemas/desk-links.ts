import { z } from 'zod';
import { MonthSchema } from './month.ts';

/**
 * Input of the `issue-desk-links` function (invoked by the bureau, or locally by the CLI): issue
 * the month's desk links to every town office or to the towns named, or revoke one link.
 * @example {"month":"2026-10","towns":["shiqi"],"by":"bureau:zhang"}
 * @example {"revoke":"Xb3k9QmP2vR8tY1wZ4nA6c","by":"bureau:zhang"}
 */
export const IssueDeskLinksInputSchema = z.union([
  z.object({
    month: MonthSchema,
    towns: z
      .array(z.string().regex(/^[a-z0-9-]+$/))
      .min(1)
      .optional(),
    /** Hours the links live (1–168). @default 72 */
    hours: z.number().int().min(1).max(168).optional(),
    by: z.string().min(1).max(100),
  }),
  z.object({
    revoke: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
    by: z.string().min(1).max(100),
  }),
]);
export type IssueDeskLinksInput = z.infer<typeof IssueDeskLinksInputSchema>;
