import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ENV } from '#schemas/tables.ts';
import { handleTownDeskRequest } from '#usecases/town-desk.ts';
import {
  approvalBaseUrl,
  auditTrail,
  caseStore,
  deskStore,
  linkKeys,
  objectStore,
  uploadSigner,
} from './commons/dependencies.ts';
import { deskRequestOf } from './commons/http-request.ts';
import { logger } from './commons/powertools.ts';

/** The town desk behind API Gateway (HTTP API, routes under `/desk`): GET shows, POST changes. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const request = deskRequestOf(event);
    const bucket = process.env[ENV.bucket] ?? '';
    const response = await handleTownDeskRequest(request, {
      desk: deskStore(),
      cases: caseStore(),
      signer: uploadSigner(bucket),
      store: objectStore(bucket),
      audit: auditTrail(),
      keys: await linkKeys(),
      freshKeys: () => linkKeys({ fresh: true }),
      baseUrl: approvalBaseUrl(),
      now: () => new Date(),
    });
    logger.info('town desk', { method: request.method, path: request.path, status: response.statusCode });
    return {
      statusCode: response.statusCode,
      headers: response.headers,
      cookies: response.cookies,
      body: response.body,
      isBase64Encoded: response.isBase64Encoded ?? false,
    };
  });
