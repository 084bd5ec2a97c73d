import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { PrepareReleaseInputSchema } from '#schemas/release.ts';
import { prepareRelease } from '#usecases/prepare-release.ts';
import { now, objectStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** PrepareRelease: the release file an approval is asked for, its hash and the approval page's view. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: PrepareReleaseInputSchema }))
  .handler(async (input) => {
    const prepared = await prepareRelease(input, { store: objectStore(input.bucket), now });
    logger.info('release prepared', {
      month: prepared.month,
      rows: prepared.rows,
      amountFen: prepared.amountFen,
      requiredApprovals: prepared.requiredApprovals,
      contentSha256: prepared.contentSha256,
    });
    return prepared;
  });
