import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { DrawMonthSampleInputSchema } from '#schemas/sample.ts';
import { drawMonthSample } from '#usecases/draw-month-sample.ts';
import { auditTrail, now, objectStore, randomSeed } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** DrawSample: the month's seeded, stratified home-visit sample (sample.csv). */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: DrawMonthSampleInputSchema }))
  .handler(async (input) => {
    const result = await drawMonthSample(input, {
      store: objectStore(input.bucket),
      audit: auditTrail(),
      now,
      randomSeed,
    });
    logger.info('sample drawn', { month: result.month, visits: result.visits, reused: result.reused });
    return result;
  });
