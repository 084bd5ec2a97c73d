import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { StageDatasetInputSchema } from '#schemas/dataset-ingest-task.ts';
import { stageDatasetOnArrival } from '#usecases/stage-dataset-on-arrival.ts';
import { auditTrail, now, objectStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** StageDataset: validates and stages the dataset a newly arrived reference, register or partner file belongs to. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: StageDatasetInputSchema }))
  .handler(async (event) => {
    const { bucket, object } = event.detail;
    const result = await stageDatasetOnArrival(
      { key: object.key, time: event.time },
      { store: objectStore(bucket.name), audit: auditTrail(), now },
    );
    logger.info('dataset file arrived', { key: object.key, ...result });
    return { ...result, key: object.key, time: event.time };
  });
