import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { MonthRunInputSchema } from '#schemas/month-run.ts';
import { prepareMonthRun } from '#usecases/prepare-month-run.ts';
import { auditTrail, now, objectStore, partitionRows, stateStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** PrepareMonthRun: fixes the month's inputs, stages changed datasets, splits the month into partitions. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: MonthRunInputSchema }))
  .handler(async (input) => {
    const prepared = await prepareMonthRun(input, {
      state: stateStore(),
      store: objectStore(input.bucket),
      audit: auditTrail(),
      now,
      partitionRows: partitionRows(),
    });
    logger.info('month run prepared', {
      month: input.month,
      runId: prepared.runId,
      partitions: prepared.partitions.length,
    });
    return prepared;
  });
