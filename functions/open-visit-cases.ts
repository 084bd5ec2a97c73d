import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { MonthCasesInputSchema } from '#schemas/case.ts';
import { openVisitCases } from '#usecases/open-visit-cases.ts';
import { auditTrail, caseStore, now, objectStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** OpenVisitCases: a visit case for every household of the month's home-visit sample. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: MonthCasesInputSchema }))
  .handler(async (input) => {
    const result = await openVisitCases(input, {
      store: objectStore(input.bucket),
      cases: caseStore(),
      audit: auditTrail(),
      now,
    });
    logger.info('visit cases opened', { ...result });
    return result;
  });
