import { S3EventNotificationEventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/s3';
import { CaughtErrorSchema } from './caught-error.ts';

/**
 * Input of StageDataset: the EventBridge `Object Created` event of a reference, register or partner
 * file (the dataset-ingest workflow's input as the trigger delivers it).
 */
export const StageDatasetInputSchema = S3EventNotificationEventBridgeSchema;

/** Input of RecordDatasetFailure: the same event plus the error StageDataset failed with. */
export const RecordDatasetFailureInputSchema = S3EventNotificationEventBridgeSchema.extend({
  error: CaughtErrorSchema,
});
