import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import { S3EventNotificationEventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/s3';
import middy from '@middy/core';
import { z } from 'zod';
import { registerUpload } from '#usecases/register-upload.ts';
import { auditTrail, now, stateStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

const InputSchema = z.object({ event: S3EventNotificationEventBridgeSchema, executionId: z.string().min(1) });

/** RegisterUpload: records an uploaded roster and decides whether to validate it. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: InputSchema }))
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
