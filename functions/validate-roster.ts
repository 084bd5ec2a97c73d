import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { ValidateRosterInputSchema } from '#schemas/ingest-task.ts';
import { validateRoster } from '#usecases/validate-roster.ts';
import { now, objectStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** ValidateRoster: validates one roster row by row, stages its valid rows, writes its reports. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: ValidateRosterInputSchema }))
  .handler(async ({ upload }) => {
    const outcome = await validateRoster(upload, { store: objectStore(upload.bucket), now });
    logger.info('roster validated', {
      key: upload.key,
      status: outcome.status,
      validRows: outcome.validRows,
      findings: outcome.findings,
    });
    return { upload, outcome };
  });
