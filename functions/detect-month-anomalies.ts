import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { MonthMetricsInputSchema } from '#schemas/metrics.ts';
import { detectMonthAnomalies } from '#usecases/detect-month-anomalies.ts';
import { auditTrail, now, objectStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** DetectAnomalies: each town against its own history and the other towns (anomalies.csv). */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: MonthMetricsInputSchema }))
  .handler(async (input) => {
    const result = await detectMonthAnomalies(input, {
      store: objectStore(input.bucket),
      audit: auditTrail(),
      now,
    });
    logger.info('anomalies', { ...result });
    return result;
  });
