import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { AwaitBankReturnsInputSchema } from '#schemas/release.ts';
import { awaitBankReturns } from '#usecases/await-bank-returns.ts';
import { approvalStore, auditTrail, now, objectStore, taskCallbacks } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** AwaitBankReturns (waits for a task token): parks the released month until the bank file lands. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: AwaitBankReturnsInputSchema }))
  .handler(async (input) => {
    const result = await awaitBankReturns(input, {
      approvals: approvalStore(),
      store: objectStore(input.bucket),
      audit: auditTrail(),
      callbacks: taskCallbacks(),
      now,
    });
    logger.info('waiting for bank returns', { ...result });
    return result;
  });
