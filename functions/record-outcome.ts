import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { RecordOutcomeInputSchema } from '#schemas/ingest-task.ts';
import { recordOutcome } from '#usecases/record-outcome.ts';
import { auditTrail, contacts, notifier, now, objectStore, stateStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** RecordOutcome: makes the validated upload its batch's current file unless a newer one arrived; mails a rejection. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: RecordOutcomeInputSchema }))
  .handler(async ({ upload, outcome }) => {
    const result = await recordOutcome(upload, outcome, {
      state: stateStore(),
      audit: auditTrail(),
      now,
      store: objectStore(upload.bucket),
      notifier: notifier(),
      contacts,
    });
    logger.info('ingest outcome recorded', { key: upload.key, ...result });
    return result;
  });
