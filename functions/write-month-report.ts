import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { MonthReportInputSchema } from '#schemas/ingest-task.ts';
import { writeMonthReport } from '#usecases/write-month-report.ts';
import { auditTrail, now, objectStore, stateStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** WriteMonthReport: writes findings.csv and summary.json of a month under reports/{month}/. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: MonthReportInputSchema }))
  .handler(async ({ month, bucket }) => {
    const result = await writeMonthReport(month, {
      state: stateStore(),
      store: objectStore(bucket),
      audit: auditTrail(),
      now,
    });
    logger.info('month report written', { ...result });
    return result;
  });
