import { z } from 'zod';
import { CaughtErrorSchema } from './caught-error.ts';
import { MonthSchema } from './month.ts';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/** What every step after the checks knows of the run (month-run workflow). */
export const MonthRunRefSchema = z.object({
  month: MonthSchema,
  bucket: z.string().min(1),
  runId: z.string().regex(/^[0-9a-f]{16}$/),
  manifestKey: z.string(),
});
export type MonthRunRef = z.infer<typeof MonthRunRefSchema>;

/** Input of PrepareRelease: the run, and where WriteMonthFindings put the findings. */
export const PrepareReleaseInputSchema = MonthRunRefSchema.extend({ findingsArrowKey: z.string() });

/** Output of PrepareRelease: the release the approval is asked for. */
export const PreparedReleaseSchema = MonthRunRefSchema.extend({
  /** The release file as it will be written, under the run's prefix. */
  candidateKey: z.string(),
  /** What the approval page shows (IDs masked). */
  viewKey: z.string(),
  contentSha256: Sha256,
  rows: z.number().int().nonnegative(),
  amountFen: z.number().int().nonnegative(),
  requiredApprovals: z.union([z.literal(1), z.literal(2)]),
  /** The month's four-eyes threshold in fen (release total at or above it needs two approvers). */
  fourEyesThresholdFen: z.number().int().nonnegative(),
  /** How long each approval link is valid, in hours. */
  approvalLinkHours: z.number().int().positive(),
});
export type PreparedRelease = z.infer<typeof PreparedReleaseSchema>;

/** Input of RequestApproval (a `.waitForTaskToken` task). */
export const RequestApprovalInputSchema = PreparedReleaseSchema.extend({ taskToken: z.string().min(1) });

/** One approver's approval. */
export const ApprovalSignatureSchema = z.object({
  approverId: z.string(),
  approverName: z.string(),
  at: z.string(),
  sourceIp: z.string(),
  /** The browser's user agent (at most 300 characters). */
  userAgent: z.string().optional(),
  /**
   * Earlier approvers whose approval came from the same source IP and user agent: recorded and
   * flagged, not refused (see `domain/approval/same-device.ts`).
   */
  sameDeviceAs: z.array(z.string()).optional(),
});

/** What the approval task returns to the workflow (sent with SendTaskSuccess). */
export const ApprovalOutcomeSchema = z.object({
  decision: z.enum(['APPROVED', 'REJECTED']),
  requestId: z.string(),
  contentSha256: Sha256,
  approvals: z.array(ApprovalSignatureSchema),
  rejection: z
    .object({
      approverId: z.string(),
      approverName: z.string(),
      at: z.string(),
      reason: z.string(),
      sourceIp: z.string(),
      userAgent: z.string().optional(),
    })
    .optional(),
});
export type ApprovalOutcome = z.infer<typeof ApprovalOutcomeSchema>;

/** Input of ReleaseMonth and HoldMonth. */
export const DecidedReleaseSchema = PreparedReleaseSchema.extend({ approval: ApprovalOutcomeSchema });
export type DecidedRelease = z.infer<typeof DecidedReleaseSchema>;

/** Input of HoldMonth: a rejection, or the approval step's error (e.g. `States.Timeout`). */
export const HoldMonthInputSchema = PreparedReleaseSchema.extend({
  approval: ApprovalOutcomeSchema.optional(),
  error: CaughtErrorSchema.optional(),
});
export type HoldMonthInput = z.infer<typeof HoldMonthInputSchema>;

/** Output of ReleaseMonth: what the workflow does next. */
export const ReleaseResultSchema = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('RELEASED'),
    month: MonthSchema,
    bucket: z.string(),
    releaseKey: z.string(),
    releaseManifestKey: z.string(),
    contentSha256: Sha256,
    rows: z.number().int(),
    amountFen: z.number().int(),
  }),
  /** Newer death or cremation records changed the release: the checks run again. */
  z.object({ outcome: z.literal('RECHECK'), month: MonthSchema, bucket: z.string(), reason: z.string() }),
  /** A roster changed after the request: this run ends; ingest starts the next one. */
  z.object({ outcome: z.literal('SUPERSEDED'), month: MonthSchema, bucket: z.string(), reason: z.string() }),
]);
export type ReleaseResult = z.infer<typeof ReleaseResultSchema>;

/** Input of AwaitBankReturns (a `.waitForTaskToken` task). */
export const AwaitBankReturnsInputSchema = z.object({
  month: MonthSchema,
  bucket: z.string(),
  taskToken: z.string().min(1),
});

/** Input of the bank-returns workflow's ResumeCloseOut: the object-created event. */
export const BankReturnEventSchema = z.object({
  detail: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({ key: z.string(), etag: z.string().optional() }),
  }),
});
