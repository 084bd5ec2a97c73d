import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { DecidedReleaseSchema } from '#schemas/release.ts';
import { releaseMonth } from '#usecases/release-month.ts';
import { approvalStore, auditTrail, now, objectStore, stateStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** ReleaseMonth: re-checks deaths and content, then writes release.csv once per month. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: DecidedReleaseSchema }))
  .handler(async (input) => {
    const result = await releaseMonth(input, {
      approvals: approvalStore(),
      state: stateStore(),
      store: objectStore(input.bucket),
      audit: auditTrail(),
      now,
    });
    logger.info('release step', { ...result });
    return result;
  });
