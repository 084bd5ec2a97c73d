import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { WriteMonthReportInputSchema } from '#schemas/month-run.ts';
import { writeMonthReport } from '#usecases/write-month-report.ts';
import { auditTrail, now, objectStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** WriteMonthReport: findings.csv, findings.arrow and summary.json of the month under reports/{month}/. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: WriteMonthReportInputSchema }))
  .handler(async (input) => {
    const result = await writeMonthReport(input, {
      store: objectStore(input.bucket),
      audit: auditTrail(),
      now,
    });
    logger.info('month report written', { ...result });
    return result;
  });
