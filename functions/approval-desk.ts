import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ENV } from '#schemas/tables.ts';
import { handleDeskRequest } from '#usecases/approval-desk.ts';
import {
  approvalBaseUrl,
  approvalStore,
  auditTrail,
  linkKeys,
  objectStore,
  taskCallbacks,
} from './commons/dependencies.ts';
import { deskRequestOf } from './commons/http-request.ts';
import { logger } from './commons/powertools.ts';

/** The approval site behind API Gateway (HTTP API): GET shows, only POST decides. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const request = deskRequestOf(event);
    const response = await handleDeskRequest(request, {
      approvals: approvalStore(),
      store: objectStore(process.env[ENV.bucket] ?? ''),
      audit: auditTrail(),
      callbacks: taskCallbacks(),
      keys: await linkKeys(),
      freshKeys: () => linkKeys({ fresh: true }),
      baseUrl: approvalBaseUrl(),
      now: () => new Date(),
    });
    logger.info('approval site', { method: request.method, path: request.path, status: response.statusCode });
    return {
      statusCode: response.statusCode,
      headers: response.headers,
      cookies: response.cookies,
      body: response.body,
    };
  });
