import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { RecordMonthFailureInputSchema } from '#schemas/month-run.ts';
import { recordMonthFailure } from '#usecases/record-month-failure.ts';
import { auditTrail, now, objectStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** RecordMonthFailure: audits why the month could not be checked. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: RecordMonthFailureInputSchema }))
  .handler(async (input) => {
    const result = await recordMonthFailure(input, {
      audit: auditTrail(),
      store: objectStore(input.bucket),
      now,
    });
    logger.warn('month run failed', { month: input.month, error: input.error.Error });
    return result;
  });
