import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ENV } from '#schemas/tables.ts';
import { type DeskRequest, handleDeskRequest } from '#usecases/approval-desk.ts';
import {
  approvalBaseUrl,
  approvalStore,
  auditTrail,
  linkKeys,
  objectStore,
  taskCallbacks,
} from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/** Cookies of an HTTP API (v2) event: `cookies` holds `name=value` strings. */
function cookiesOf(event: APIGatewayProxyEventV2): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const cookie of event.cookies ?? []) {
    const eq = cookie.indexOf('=');
    if (eq > 0) cookies[cookie.slice(0, eq).trim()] = cookie.slice(eq + 1).trim();
  }
  return cookies;
}

/** The approval site behind API Gateway (HTTP API): GET shows, only POST decides. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const headers = Object.fromEntries(
      Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    );
    const body = event.body
      ? event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body
      : '';
    const request: DeskRequest = {
      method: event.requestContext.http.method,
      path: event.rawPath,
      query: event.queryStringParameters ?? {},
      headers,
      cookies: cookiesOf(event),
      body,
      sourceIp: event.requestContext.http.sourceIp,
    };
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
