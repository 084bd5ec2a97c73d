import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { MonthWatchInputSchema } from '#schemas/metrics.ts';
import { computeMonthMetrics } from '#usecases/compute-month-metrics.ts';
import { now, objectStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** ComputeMetrics: per-town indicators of the month into metrics/{month}.csv (month-watch workflow). */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: MonthWatchInputSchema }))
  .handler(async (input) => {
    const result = await computeMonthMetrics(input, { store: objectStore(input.bucket), now });
    logger.info('month metrics', { ...result });
    return result;
  });
