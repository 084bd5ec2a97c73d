import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { CheckMonthCompleteInputSchema } from '#schemas/ingest-task.ts';
import { checkMonthComplete } from '#usecases/check-month-complete.ts';
import { objectStore, stateStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** CheckMonthComplete: whether every expected batch of the month has an accepted file. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: CheckMonthCompleteInputSchema }))
  .handler(async ({ month, bucket }) => {
    const result = await checkMonthComplete(
      { month, bucket },
      { state: stateStore(), store: objectStore(bucket) },
    );
    logger.info('month completeness', { month, complete: result.complete, missing: result.missing.length });
    return result;
  });
