import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { DeskRequest } from '#usecases/approval-desk.ts';

/** Cookies of an HTTP API (v2) event: `cookies` holds `name=value` strings. */
function cookiesOf(event: APIGatewayProxyEventV2): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const cookie of event.cookies ?? []) {
    const eq = cookie.indexOf('=');
    if (eq > 0) cookies[cookie.slice(0, eq).trim()] = cookie.slice(eq + 1).trim();
  }
  return cookies;
}

/** The site request of an API Gateway HTTP API (payload 2.0) event: header names in lower case. */
export function deskRequestOf(event: APIGatewayProxyEventV2): DeskRequest {
  const headers = Object.fromEntries(
    Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const bytes = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body, 'base64')
      : Buffer.from(event.body, 'utf8')
    : Buffer.alloc(0);
  const body = bytes.toString('utf8');
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    query: event.queryStringParameters ?? {},
    headers,
    cookies: cookiesOf(event),
    body,
    bodyBytes: new Uint8Array(bytes),
    sourceIp: event.requestContext.http.sourceIp,
  };
}
