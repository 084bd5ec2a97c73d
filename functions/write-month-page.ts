import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { MonthMetricsInputSchema } from '#schemas/metrics.ts';
import { writeMonthPage } from '#usecases/write-month-page.ts';
import { auditTrail, caseStore, now, objectStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** WriteMonthPage: reports/{month}/report.html, the month at a glance for a person, and cases.csv. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: MonthMetricsInputSchema }))
  .handler(async (input) => {
    const result = await writeMonthPage(input, {
      store: objectStore(input.bucket),
      audit: auditTrail(),
      now,
      cases: caseStore(),
    });
    logger.info('month page written', { ...result });
    return result;
  });
