import { S3EventNotificationEventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/s3';
import { z } from 'zod';
import { CaughtErrorSchema } from './caught-error.ts';
import { MonthSchema } from './month.ts';

/**
 * An upload travelling through the ingest workflow.
 *
 * @example
 * { bucket: 'payguard-data', key: 'incoming/2026-10/shiqi/roster.csv', version: 'v1', month: '2026-10',
 *   batch: 'shiqi', fileName: 'roster.csv', size: 1234, order: '2026-10-28T01:02:03.004Z|roster.csv',
 *   uploadId: '3f2a9c0d41b7e6a8' }
 */
export const UploadIdentitySchema = z.object({
  bucket: z.string().min(1),
  key: z.string().min(1),
  version: z.string().min(1),
  /** The S3 version id, where the bucket is versioned: the content read is that version's. */
  versionId: z.string().min(1).optional(),
  /** The ETag of the upload: without a version id, the content read must still have it. */
  etag: z.string().min(1).optional(),
  month: MonthSchema,
  batch: z.string().regex(/^[a-z0-9-]+$/),
  fileName: z.string().min(1),
  size: z.number().int().nonnegative(),
  order: z.string().min(1),
  uploadId: z.string().regex(/^[0-9a-f]{16}$/),
});

/** Output of RegisterUpload, input of ValidateRoster. */
export const RegistrationSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('VALIDATE'), upload: UploadIdentitySchema }),
  z.object({ action: z.literal('DUPLICATE'), upload: UploadIdentitySchema }),
  z.object({ action: z.literal('SUPERSEDED'), upload: UploadIdentitySchema }),
  z.object({ action: z.literal('IGNORE'), key: z.string(), reason: z.string() }),
]);
export type Registration = z.infer<typeof RegistrationSchema>;

export const ValidateRosterInputSchema = z.object({
  action: z.literal('VALIDATE'),
  upload: UploadIdentitySchema,
});

/** Output of ValidateRoster, input of RecordOutcome. */
export const ValidationOutcomeSchema = z.object({
  status: z.enum(['ACCEPTED', 'REJECTED']),
  records: z.number().int().nonnegative(),
  blankRecords: z.number().int().nonnegative(),
  validRows: z.number().int().nonnegative(),
  invalidRows: z.number().int().nonnegative(),
  findings: z.number().int().nonnegative(),
  validAmountFen: z.number().int().nonnegative(),
  encoding: z.string(),
  sourceSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  stagedKey: z.string().optional(),
  reportKey: z.string(),
  readableReportKey: z.string(),
  /** Every finding of the upload, one JSON finding per line (the reports list the first ones). */
  findingsKey: z.string().optional(),
  fileFinding: z.string().optional(),
  headerLine: z.number().int().positive().optional(),
  totalLine: z
    .object({
      line: z.number().int().positive(),
      label: z.string(),
      stated: z.string(),
      validAmountsFen: z.number().int().nonnegative(),
    })
    .optional(),
});

export const RecordOutcomeInputSchema = z.object({
  upload: UploadIdentitySchema,
  outcome: ValidationOutcomeSchema,
});

/** Input of RecordFailure: what ValidateRoster received plus the caught error (`ResultPath: $.error`). */
export const RecordUploadFailureInputSchema = z.object({
  upload: UploadIdentitySchema,
  error: CaughtErrorSchema,
});

/** Output of RecordOutcome and RecordFailure: the ingest workflow's result for one upload. */
export const IngestResultSchema = z.object({
  month: MonthSchema,
  bucket: z.string(),
  uploadId: z.string(),
  status: z.enum(['ACCEPTED', 'REJECTED', 'FAILED', 'SUPERSEDED']),
  /** Whether the upload is (still) the batch's current file. */
  current: z.boolean(),
});
export type IngestResult = z.infer<typeof IngestResultSchema>;

/**
 * Input of RegisterUpload: the upload's EventBridge `Object Created` event and the ingest
 * execution's id (a retry inside the same execution is told apart from a duplicate execution).
 */
export const RegisterUploadInputSchema = z.object({
  event: S3EventNotificationEventBridgeSchema,
  executionId: z.string().min(1),
});

/** Input of CheckMonthComplete: the month of the upload just recorded. */
export const CheckMonthCompleteInputSchema = z.object({ month: MonthSchema, bucket: z.string().min(1) });
