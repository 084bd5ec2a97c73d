import { randomBytes } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { drawMonthSample } from '#usecases/draw-month-sample.ts';
import { auditTrail, now, objectStore } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** The workflow passes an empty seed when none was given. */
const DrawSampleTaskSchema = z.object({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  bucket: z.string().min(1),
  seed: z.string().max(200).optional(),
});

/** DrawSample: the month's seeded, stratified home-visit sample (sample.csv). */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: DrawSampleTaskSchema }))
  .handler(async (input) => {
    const result = await drawMonthSample(
      { month: input.month, bucket: input.bucket, seed: input.seed || undefined },
      {
        store: objectStore(input.bucket),
        audit: auditTrail(),
        now,
        randomSeed: () => randomBytes(16).toString('hex'),
      },
    );
    logger.info('sample drawn', { month: result.month, visits: result.visits, reused: result.reused });
    return result;
  });
