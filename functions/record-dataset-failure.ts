import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { RecordDatasetFailureInputSchema } from '#schemas/dataset-ingest-task.ts';
import { recordDatasetFailure } from '#usecases/record-dataset-failure.ts';
import { auditTrail, now } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** RecordDatasetFailure: audits why a dataset file cannot be used (the month run stops on it too). */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: RecordDatasetFailureInputSchema }))
  .handler(async (event) => {
    const result = await recordDatasetFailure(
      { key: event.detail.object.key, time: event.time, error: event.error },
      { audit: auditTrail(), now },
    );
    logger.warn('dataset file rejected', { key: event.detail.object.key, error: event.error.Error });
    return result;
  });
