import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { HoldMonthInputSchema } from '#schemas/release.ts';
import { holdMonth } from '#usecases/hold-month.ts';
import { auditTrail, contacts, notifier, now, objectStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** HoldMonth: a rejected (or timed-out) month is held; towns and the bureau are told why. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: HoldMonthInputSchema }))
  .handler(async (input) => {
    const result = await holdMonth(input, {
      store: objectStore(input.bucket),
      audit: auditTrail(),
      notifier: notifier(),
      contacts: contacts(),
      now,
    });
    logger.info('month held', { month: result.month });
    return result;
  });
