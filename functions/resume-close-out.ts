import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { BankReturnEventSchema } from '#schemas/release.ts';
import { resumeCloseOut } from '#usecases/resume-close-out.ts';
import { approvalStore, auditTrail, now, taskCallbacks } from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** ResumeCloseOut: a bank return file landed; resumes the month waiting for it. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: BankReturnEventSchema }))
  .handler(async (event) => {
    const result = await resumeCloseOut(
      { key: event.detail.object.key, etag: event.detail.object.etag },
      { approvals: approvalStore(), audit: auditTrail(), callbacks: taskCallbacks(), now },
    );
    logger.info('bank return received', { key: event.detail.object.key, ...result });
    return result;
  });
