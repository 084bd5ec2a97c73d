import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { FindSharedAccountsInputSchema } from '#schemas/month-run.ts';
import { findSharedAccounts } from '#usecases/find-shared-accounts.ts';
import { objectStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/**
 * FindPartitionSharedAccounts (an item of the FindSharedAccounts Map): the accounts of two or
 * more households among one account partition's accounts.
 */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: FindSharedAccountsInputSchema }))
  .handler(async (input) => {
    const result = await findSharedAccounts(input, { store: objectStore(input.bucket) });
    logger.info('account partition searched', { month: input.month, runId: input.runId, ...result });
    return result;
  });
