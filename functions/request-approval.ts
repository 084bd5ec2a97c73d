import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { RequestApprovalInputSchema } from '#schemas/release.ts';
import { requestApproval } from '#usecases/request-approval.ts';
import {
  approvalBaseUrl,
  approvalStore,
  auditTrail,
  contacts,
  linkKeys,
  notifier,
  taskCallbacks,
} from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** RequestApproval (waits for a task token): stores the request and mails each approver a personal link. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: RequestApprovalInputSchema }))
  .handler(async (input) => {
    const result = await requestApproval(input, {
      approvals: approvalStore(),
      audit: auditTrail(),
      notifier: notifier(),
      callbacks: taskCallbacks(),
      approvers: contacts().approvers,
      secret: (await linkKeys()).current,
      baseUrl: approvalBaseUrl(),
      now: () => new Date(),
    });
    logger.info('approval requested', { month: input.month, ...result });
    return result;
  });
