import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { RecordUploadFailureInputSchema } from '#schemas/ingest-task.ts';
import { recordUploadFailure } from '#usecases/record-upload-failure.ts';
import { auditTrail, contacts, notifier, now, stateStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/**
 * RecordFailure: records why an upload could not be checked and tells its town and the bureau, so
 * the month cannot pass over it.
 */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: RecordUploadFailureInputSchema }))
  .handler(async ({ upload, error }) => {
    const result = await recordUploadFailure(upload, error, {
      state: stateStore(),
      audit: auditTrail(),
      notifier: notifier(),
      contacts: contacts(),
      now,
    });
    logger.warn('ingest failed', { key: upload.key, error: error.Error });
    return result;
  });
