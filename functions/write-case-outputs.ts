import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { MonthCasesInputSchema } from '#schemas/case.ts';
import { writeCaseOutputs } from '#usecases/write-case-outputs.ts';
import { auditTrail, caseStore, now, objectStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** WriteCaseOutputs: rewrites cases.csv and report.html from the cases as officers left them. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: MonthCasesInputSchema }))
  .handler(async (input) => {
    const result = await writeCaseOutputs(input, {
      store: objectStore(input.bucket),
      cases: caseStore(),
      audit: auditTrail(),
      now,
    });
    logger.info('case outputs written', { ...result });
    return result;
  });
