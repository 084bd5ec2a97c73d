import { Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  type HttpRoute,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { APPROVAL_PATH, MONTH_PAGE_PATH } from '#schemas/approval-site-routes.ts';
import { DESK_ROUTES } from '#schemas/desk-site-routes.ts';

/** Properties of an {@link ApprovalSite}. */
export interface ApprovalSiteProps {
  /**
   * Requests per second the site accepts on average, and in a burst; approvers are a handful of
   * people clicking links, so anything beyond is refused with 429 before it reaches the function.
   * @default { rateLimit: 5, burstLimit: 20 }
   */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  /** @default RetentionDays.ONE_YEAR */
  readonly accessLogRetention?: RetentionDays;
}

/**
 * Access log line of the site, JSON. Carries the route key (`GET /approval`), never the path or
 * query string: the `t` parameter of a link is a credential.
 */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    routeKey: '$context.routeKey',
    protocol: '$context.protocol',
    status: '$context.status',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationStatus: '$context.integrationStatus',
    integrationError: '$context.integrationErrorMessage',
  }),
);

/**
 * The approval site approvers reach through the signed links in their e-mails: an API Gateway HTTP
 * API whose only routes are `GET /approval` (shows the release), `POST /approval` (decides) and
 * `GET /report` (the month page of the link's month), all served by one Lambda function with
 * payload format 2.0 (see {@link serve}); everything else is answered 404 by API Gateway. Its
 * `$default` stage deploys automatically, is throttled and writes JSON access logs to its own log
 * group. Link tokens are the authorization: approvers are not IAM or Cognito users.
 */
export class ApprovalSite extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  /** `https://{api-id}.execute-api.{region}.{suffix}`, without trailing slash: `APPROVAL_BASE_URL`. */
  readonly url: string;
  private served = false;
  private deskServed = false;

  constructor(scope: Construct, id: string, props: ApprovalSiteProps = {}) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      apiName: `${Stack.of(this).stackName}-approval`,
      description: 'payguard approval site: approvers open and answer their signed approval links here',
      // The stage below replaces the default one, which cannot carry access-log settings.
      createDefaultStage: false,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? RetentionDays.ONE_YEAR,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      // `$default`: served at the root of the endpoint, so links are `{url}/approval?t=…`.
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 5, burstLimit: 20 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: ACCESS_LOG_FORMAT,
      },
    });
    this.url = this.api.apiEndpoint;
  }

  /**
   * Routes `GET /approval`, `POST /approval` and `GET /report` to `handler` through one
   * integration; API Gateway may invoke it only for those paths of this API. Call once.
   */
  serve(handler: IFunction): readonly HttpRoute[] {
    if (this.served) throw new Error(`${this.node.path} already serves its routes; call serve once`);
    this.served = true;
    const integration = new HttpLambdaIntegration('Desk', handler);
    const routes = [
      ...this.api.addRoutes({ path: APPROVAL_PATH, methods: [HttpMethod.GET, HttpMethod.POST], integration }),
      ...this.api.addRoutes({ path: MONTH_PAGE_PATH, methods: [HttpMethod.GET], integration }),
    ];
    for (const route of routes) {
      // On the route resource only, not on the integration and permission below it.
      Validations.of(route.node.defaultChild ?? route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'The approval link is the authorization: every request must carry the HMAC-signed, expiring link token ' +
          'issued to one approver, verified by the function with the Secrets Manager link secret (GET /report shows ' +
          "only the month page of the link's own month); a link decides once, and a POST also needs the CSRF " +
          'token bound to the SameSite=Strict cookie of the page. Approvers ' +
          'are staff reached by e-mail, not IAM or Cognito users, so IAM, JWT or Lambda authorizers do not apply.',
      });
    }
    return routes;
  }

  /**
   * Routes the town desk (`GET`/`POST /desk/open`, `GET /desk/home`, `POST /desk/upload`,
   * `GET /desk/report`) to `handler`, a function of its own: it signs roster uploads and reads
   * town data, which the approval desk must not, and the approval desk settles workflow steps,
   * which the town desk must not. Call once.
   */
  serveDesk(handler: IFunction): readonly HttpRoute[] {
    if (this.deskServed) throw new Error(`${this.node.path} already serves the desk; call serveDesk once`);
    this.deskServed = true;
    const integration = new HttpLambdaIntegration('TownDesk', handler);
    const routes = [
      ...this.api.addRoutes({
        path: DESK_ROUTES.open,
        methods: [HttpMethod.GET, HttpMethod.POST],
        integration,
      }),
      ...this.api.addRoutes({ path: DESK_ROUTES.home, methods: [HttpMethod.GET], integration }),
      ...this.api.addRoutes({ path: DESK_ROUTES.report, methods: [HttpMethod.GET], integration }),
      ...this.api.addRoutes({ path: DESK_ROUTES.upload, methods: [HttpMethod.POST], integration }),
    ];
    for (const route of routes) {
      Validations.of(route.node.defaultChild ?? route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          "The desk link is the authorization: a town officer's HMAC-signed, expiring, revocable link (Secrets Manager " +
          'link secret) opens a session once; every later request needs that session (an HttpOnly SameSite=Strict ' +
          "cookie naming a stored session, ended with its link) and is scoped to the session's town, and every POST " +
          'also the CSRF token bound to it. Town officers are reached by e-mail, not IAM or Cognito users.',
      });
    }
    return routes;
  }
}
