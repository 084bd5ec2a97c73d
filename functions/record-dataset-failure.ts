import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import { S3EventNotificationEventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/s3';
import middy from '@middy/core';
import { z } from 'zod';
import { recordDatasetFailure } from '#usecases/record-dataset-failure.ts';
import { auditTrail, now } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

const InputSchema = S3EventNotificationEventBridgeSchema.extend({
  error: z.object({ Error: z.string(), Cause: z.string().optional() }),
});

/** RecordDatasetFailure: audits why a dataset file cannot be used (the month run stops on it too). */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: InputSchema }))
  .handler(async (event) => {
    const result = await recordDatasetFailure(
      { key: event.detail.object.key, time: event.time, error: event.error },
      { audit: auditTrail(), now },
    );
    logger.warn('dataset file rejected', { key: event.detail.object.key, error: event.error.Error });
    return result;
  });
