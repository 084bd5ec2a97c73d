import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { RegisterUploadInputSchema } from '#schemas/ingest-task.ts';
import { registerUpload } from '#usecases/register-upload.ts';
import { auditTrail, now, stateStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** RegisterUpload: records an uploaded roster and decides whether to validate it. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: RegisterUploadInputSchema }))
  .handler(async ({ event, executionId }) => {
    const { bucket, object } = event.detail;
    const registration = await registerUpload(
      {
        bucket: bucket.name,
        key: object.key,
        versionId: object['version-id'],
        etag: object.etag,
        sequencer: object.sequencer,
        size: object.size ?? 0,
        time: event.time,
      },
      { state: stateStore(executionId), audit: auditTrail(), now },
    );
    logger.info('upload registered', { key: object.key, action: registration.action });
    return registration;
  });
