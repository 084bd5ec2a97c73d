import { z } from 'zod';

const Fen = z.number().int().nonnegative();

/** One line of a per-town or per-category total. */
export const ReleaseTotalSchema = z.object({
  /** Town or category code. */
  code: z.string(),
  /** Town name or category label (Chinese). */
  label: z.string(),
  rows: z.number().int().nonnegative(),
  amountFen: Fen,
});
export type ReleaseTotal = z.infer<typeof ReleaseTotalSchema>;

/**
 * What an approver sees before deciding (`runs/{month}/{runId}/approval-view.json`): the release
 * the approval is for, and what is held out of it and why. ID numbers are masked already.
 */
export const ApprovalViewSchema = z.object({
  month: z.string(),
  runId: z.string(),
  /** SHA-256 (hex) of the release file the approval is for. */
  contentSha256: z.string().regex(/^[0-9a-f]{64}$/),
  generatedAt: z.string(),
  release: z.object({
    rows: z.number().int().nonnegative(),
    amountFen: Fen,
    byTown: z.array(ReleaseTotalSchema),
    byCategory: z.array(ReleaseTotalSchema),
  }),
  held: z.object({
    /** Valid rows held out of the release by a BLOCK finding of the checks (contract 3.3). */
    rows: z.number().int().nonnegative(),
    amountFen: Fen,
    /** Per BLOCK code: rows held that have it (a row can have several codes). */
    byCode: z.array(
      z.object({ code: z.string(), label: z.string(), rows: z.number().int(), amountFen: Fen }),
    ),
    /** The first held rows, IDs masked. */
    rowsShown: z.array(
      z.object({
        batch: z.string(),
        row: z.number().int().positive(),
        idMasked: z.string(),
        name: z.string(),
        category: z.string(),
        town: z.string(),
        amountFen: Fen,
        codes: z.array(z.string()),
      }),
    ),
    rowsOmitted: z.number().int().nonnegative(),
    /** Held rows per town (for the month page). */
    byTown: z.array(ReleaseTotalSchema).default([]),
  }),
  /** REVIEW findings: they go to case workers and do not hold payments. */
  review: z.array(z.object({ code: z.string(), label: z.string(), findings: z.number().int() })),
  /** Batches whose file is not in the release at all (rejected, failed, missing). */
  batchesNotReleased: z.array(z.object({ batch: z.string(), status: z.string(), detail: z.string() })),
  /** Rows rejected by row validation (contract 3.1/3.2), not in the release. */
  invalidRows: z.number().int().nonnegative(),
});
export type ApprovalView = z.infer<typeof ApprovalViewSchema>;
