import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { CheckPartitionInputSchema } from '#schemas/month-run.ts';
import { checkPartition } from '#usecases/check-partition.ts';
import { objectStore } from './commons/dependencies.ts';
import { externalMemoryInHeapLimit } from './commons/external-memory-in-heap-limit.ts';
import { logger } from './commons/powertools.ts';

/** CheckPartition: the checks of contract 3.3 for the people of one partition. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(externalMemoryInHeapLimit())
  .use(parser({ schema: CheckPartitionInputSchema }))
  .handler(async (input) => {
    const result = await checkPartition(input, { store: objectStore(input.bucket) });
    logger.info('partition checked', { month: input.month, ...result });
    return result;
  });
