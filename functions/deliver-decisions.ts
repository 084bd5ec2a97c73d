import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { deliverDecisions } from '#usecases/deliver-decisions.ts';
import { approvalStore, auditTrail, taskCallbacks } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** DeliverDecisions (scheduled): resumes every approval step whose stored decision is not delivered yet. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .handler(async () => {
    const result = await deliverDecisions({
      approvals: approvalStore(),
      audit: auditTrail(),
      callbacks: taskCallbacks(),
      now: () => new Date(),
    });
    logger.info('decisions swept', { ...result });
    return result;
  });
