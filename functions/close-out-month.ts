import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { CloseOutMonthInputSchema } from '#schemas/closeout.ts';
import { closeOutMonth } from '#usecases/close-out-month.ts';
import { auditTrail, now, objectStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** CloseOut: reconciles the release with the bank's return files (contract 3.4). */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: CloseOutMonthInputSchema }))
  .handler(async (input) => {
    const result = await closeOutMonth(input, { store: objectStore(input.bucket), audit: auditTrail(), now });
    logger.info('close-out', {
      month: result.month,
      closed: result.closed,
      countsByCode: result.countsByCode,
    });
    return result;
  });
