import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { NotifyBureauInputSchema } from '#schemas/metrics.ts';
import { notifyBureau } from '#usecases/notify-bureau.ts';
import { caseStore, contacts, notifier, now, objectStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** NotifyBureau: tells the bureau which towns the month watch flagged, and why. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: NotifyBureauInputSchema }))
  .handler(async (input) => {
    const result = await notifyBureau(
      { month: input.month, overdue: input.page?.overdue },
      {
        store: objectStore(input.bucket),
        notifier: notifier(),
        contacts: contacts(),
        cases: caseStore(),
        now,
      },
    );
    logger.info('bureau notified', { ...result });
    return result;
  });
