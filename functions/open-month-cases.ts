import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { OpenMonthCasesInputSchema } from '#schemas/case.ts';
import { openMonthCases } from '#usecases/open-month-cases.ts';
import { auditTrail, caseStore, now, objectStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** OpenMonthCases: a town case for every finding of contract 3.2 and 3.3 of the month. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: OpenMonthCasesInputSchema }))
  .handler(async (input) => {
    const result = await openMonthCases(input, {
      store: objectStore(input.bucket),
      cases: caseStore(),
      audit: auditTrail(),
      now,
    });
    logger.info('month cases opened', { ...result });
    return result;
  });
