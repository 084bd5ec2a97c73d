import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { MergeSharedAccountsInputSchema } from '#schemas/month-run.ts';
import { mergeSharedAccounts } from '#usecases/merge-shared-accounts.ts';
import { objectStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** MergeSharedAccounts: joins the account partitions' shared accounts into the month's. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: MergeSharedAccountsInputSchema }))
  .handler(async (input) => {
    const result = await mergeSharedAccounts(input, { store: objectStore(input.bucket) });
    logger.info('shared accounts merged', {
      month: input.month,
      runId: input.runId,
      accounts: result.accounts,
    });
    return result;
  });
