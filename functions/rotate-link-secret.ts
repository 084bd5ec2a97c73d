import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { SecretRotationEventSchema } from '#schemas/secret-rotation.ts';
import { rotateLinkSecret } from '#usecases/rotate-link-secret.ts';
import { rotatedSecret } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** RotateLinkSecret (Secrets Manager's rotation function): one step of rotating the link-signing key. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: SecretRotationEventSchema }))
  .handler(async (event) => {
    const result = await rotateLinkSecret(event, { secret: rotatedSecret(), now: () => new Date() });
    logger.info('link secret rotation', { ...result, version: event.ClientRequestToken });
    return result;
  });
