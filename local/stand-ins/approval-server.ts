import { createServer, type IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { APPROVAL_DESK_MODULE, TOWN_DESK_MODULE } from '#pipelines/bucket-access.ts';
import { DESK_PATHS } from '#schemas/desk-site-routes.ts';
import { runAsFunction } from './function-context.ts';
import { listenOnLoopback, readBody } from './loopback-server.ts';

type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: unknown,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** A running approval site on loopback. */
export interface ApprovalServer {
  readonly url: string;
  /**
   * Loads the site's handlers now, in the background; otherwise its first request loads them. A
   * caller whose first request would wait for them (a month run's approval) calls it when its
   * process has the time.
   */
  preload(): void;
  close(): Promise<void>;
}

const BODY_MAX_BYTES = 64 * 1024;
/** The desk takes a case workbook back as a POST body. */
const DESK_BODY_MAX_BYTES = 6 * 1024 * 1024;

/** Bodies API Gateway (HTTP API) passes as text; any other is base64 with `isBase64Encoded`. */
const TEXT_TYPES = /^(text\/|application\/(x-www-form-urlencoded|json))/;

/** The HTTP API (payload 2.0) event API Gateway would deliver for this request. */
function toEvent(request: IncomingMessage, bytes: Buffer, url: URL): APIGatewayProxyEventV2 {
  const binary = bytes.length > 0 && !TEXT_TYPES.test(request.headers['content-type'] ?? 'text/plain');
  const body = binary ? bytes.toString('base64') : bytes.toString('utf8');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (name === 'cookie' || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const cookies = (request.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  const query = Object.fromEntries(url.searchParams);
  const method = request.method ?? 'GET';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    cookies,
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '',
        userAgent: request.headers['user-agent'] ?? '',
      },
      requestId: crypto.randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body,
    isBase64Encoded: binary,
  };
}

/**
 * The approval site on loopback: each request becomes the API Gateway HTTP API event the deployed
 * site receives and is served by the same Lambda handler, run as that function (its bucket
 * requests are held to its grants): the town desk's routes (`schemas/desk-site-routes.ts`) by
 * `functions/town-desk.ts`, every other path by `functions/approval-desk.ts` (API Gateway answers
 * other paths 404 itself; the approval desk does the same).
 * Import it after the local stack has set the SDK's environment.
 */
export async function startApprovalServer(options: { port?: number } = {}): Promise<ApprovalServer> {
  // The two handlers load on `preload` or the site's first request (~0.6 s of modules), not before
  // the site listens: a month run's first invocations waited behind them. A failed import fails
  // each request with a 500 that names it.
  let handlers: Promise<{ approvalDesk: HttpHandler; townDesk: HttpHandler }> | undefined;
  const loadHandlers = () => {
    handlers ??= Promise.all([import('#functions/approval-desk.ts'), import('#functions/town-desk.ts')]).then(
      ([approval, town]) => ({
        approvalDesk: (approval as { handler: HttpHandler }).handler,
        townDesk: (town as { handler: HttpHandler }).handler,
      }),
    );
    return handlers;
  };
  const server = createServer(async (request, response) => {
    try {
      const { approvalDesk, townDesk } = await loadHandlers();
      const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
      const desk = DESK_PATHS.includes(url.pathname);
      const body = await readBody(
        request,
        desk ? DESK_BODY_MAX_BYTES : BODY_MAX_BYTES,
        () => new Error('request body too large'),
      );
      const module = desk ? TOWN_DESK_MODULE : APPROVAL_DESK_MODULE;
      const handler = desk ? townDesk : approvalDesk;
      const result = await runAsFunction(module, () =>
        handler(toEvent(request, body, url), {
          functionName: `payguard-${module}`,
          awsRequestId: crypto.randomUUID(),
          getRemainingTimeInMillis: () => 30_000,
        }),
      );
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
      if (result.cookies && result.cookies.length > 0) headers['set-cookie'] = result.cookies;
      response.writeHead(result.statusCode ?? 200, headers);
      const out = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? '');
      response.end(request.method === 'HEAD' ? undefined : out);
    } catch (error) {
      response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`approval site error: ${(error as Error).message}`);
    }
  });
  const site = await listenOnLoopback(server, options.port ?? 0);
  return {
    ...site,
    preload() {
      loadHandlers().catch(() => undefined);
    },
  };
}
