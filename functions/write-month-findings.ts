import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { WriteMonthFindingsInputSchema } from '#schemas/month-run.ts';
import { writeMonthFindingsOfMapRun } from '#usecases/write-month-findings.ts';
import { auditTrail, now, objectStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** WriteMonthFindings: findings.csv, findings.arrow and summary.json of the month under reports/{month}/. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: WriteMonthFindingsInputSchema }))
  .handler(async (input) => {
    const result = await writeMonthFindingsOfMapRun(input, {
      store: objectStore(input.bucket),
      audit: auditTrail(),
      now,
    });
    logger.info('month findings written', { ...result });
    return result;
  });
