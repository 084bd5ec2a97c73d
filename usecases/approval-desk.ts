import {
  checkCsrfWith,
  csrfToken,
  type LinkClaims,
  type LinkKeys,
  newSessionNonce,
  verifyLinkTokenWith,
} from '#domain/approval/link-token.ts';
import { markSameDevice, sameDevice } from '#domain/approval/same-device.ts';
import { maskIdsInText } from '#domain/id-number.ts';
import { APPROVAL_PATH, MONTH_PAGE_PATH } from '#schemas/approval-site-routes.ts';
import { type ApprovalView, ApprovalViewSchema } from '#schemas/approval-view.ts';
import { renderApprovalPage } from '#views/approval-page.ts';
import { type MessageKind, renderMessagePage } from '#views/message-page.ts';
import { renderMonthPage } from '#views/month-page.ts';
import type { ApprovalLink, ApprovalRequest, ApprovalStore } from './approval-ports.ts';
import { deliverDecision } from './deliver-decision.ts';
import { MonthPageUnavailableError, monthPageData } from './month-page-data.ts';
import type { AuditTrail, ObjectStore, TaskCallbacks } from './ports.ts';

/** An HTTP request to the approval site, independent of API Gateway or a local server. */
export interface DeskRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly cookies: Readonly<Record<string, string | undefined>>;
  readonly body: string;
  /** The body's bytes as sent (a file posted as the body). @default - `body` as UTF-8 */
  readonly bodyBytes?: Uint8Array;
  readonly sourceIp: string;
}

export interface DeskResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  /** `Set-Cookie` values. */
  readonly cookies: string[];
  readonly body: string;
  /** The body is base64 of bytes (a file download). @default false */
  readonly isBase64Encoded?: boolean;
}

export interface DeskDeps {
  readonly approvals: ApprovalStore;
  readonly store: ObjectStore;
  readonly audit: AuditTrail;
  readonly callbacks: TaskCallbacks;
  /** The link-signing keys in force: sign with `current`, accept `current` or `previous`. */
  readonly keys: LinkKeys;
  /**
   * The keys read again, when a link fails to verify with `keys` (they may predate a rotation
   * another function already signed with). @default - `keys` are final
   */
  readonly freshKeys?: () => Promise<LinkKeys>;
  /** The site's own base URL: a POST must come from this origin. */
  readonly baseUrl: string;
  readonly now: () => Date;
}

/**
 * Pauses between the attempts to resume the workflow once a decision is stored (each attempt is
 * itself retried by the SDK); all within the site's 25 s. A decision still undelivered after them
 * is delivered by the next request of one of the request's links, or by the sweep.
 */
const DELIVERY_DELAYS_MS = [250, 1000, 3000];

/** The session cookie that binds a form to the browser that opened the link. */
export const SESSION_COOKIE = 'pg_session';

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  // Not no-referrer: with it browsers send `Origin: null` on the form post, which is refused (the
  // approval page's own meta says `same-origin` too). The page links nowhere.
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

const STATUS: Record<MessageKind, number> = {
  RECORDED_APPROVED: 200,
  RECORDED_REJECTED: 200,
  WAITING_SECOND_APPROVER: 200,
  ALREADY_USED: 409,
  EXPIRED: 410,
  INVALID_LINK: 403,
  REQUEST_CLOSED: 409,
  SUPERSEDED: 409,
  REASON_REQUIRED: 400,
  FORBIDDEN: 403,
  CONTENT_CHANGED: 409,
  NOT_FOUND: 404,
};

function message(kind: MessageKind, month?: string, detail?: string): DeskResponse {
  return {
    statusCode: STATUS[kind],
    headers: { ...HEADERS },
    cookies: [],
    body: renderMessagePage({ kind, ...(month ? { month } : {}), ...(detail ? { detail } : {}) }),
  };
}

type Refused = { ok: false; response: DeskResponse };

/**
 * A link token whose signature holds (with the current or the previous key) and which has not
 * expired (no storage read), with the keys that verified it.
 */
async function verified(
  token: string | undefined,
  deps: DeskDeps,
): Promise<{ ok: true; claims: LinkClaims; keys: LinkKeys } | Refused> {
  const now = Math.floor(deps.now().getTime() / 1000);
  let keys = deps.keys;
  let check = verifyLinkTokenWith(token ?? '', keys, now);
  if (!check.ok && check.reason === 'BAD_SIGNATURE' && deps.freshKeys) {
    keys = await deps.freshKeys();
    check = verifyLinkTokenWith(token ?? '', keys, now);
  }
  if (check.ok) return { ...check, keys };
  return { ok: false, response: message(check.reason === 'EXPIRED' ? 'EXPIRED' : 'INVALID_LINK') };
}

/**
 * The stored link of verified claims (used or not). A decision of its request that is stored but
 * not yet delivered to the workflow is delivered now (one attempt; the sweep retries otherwise).
 */
async function storedLink(
  claims: LinkClaims,
  deps: DeskDeps,
): Promise<{ ok: true; link: ApprovalLink } | Refused> {
  const link = await deps.approvals.getLink(claims.linkId);
  if (link === undefined || link.expiresAt !== claims.expiresAt) {
    return { ok: false, response: message('INVALID_LINK') };
  }
  await redeliverPending(link, deps);
  return { ok: true, link };
}

async function redeliverPending(link: ApprovalLink, deps: DeskDeps): Promise<void> {
  const request = await deps.approvals.getRequest(link.month, link.requestId);
  if (request?.delivery?.status !== 'PENDING') return;
  try {
    await deliverDecision(link.month, link.requestId, deps, { delaysMs: [], by: 'payguard:approval-desk' });
  } catch {
    // Best effort beside the page asked for: the decision stays PENDING and the sweep delivers it.
  }
}

/** A link the desk can act on: the stored link is unused and its request still open. */
type OpenLink = { ok: true; link: ApprovalLink; request: ApprovalRequest } | Refused;

async function openLink(claims: LinkClaims, deps: DeskDeps): Promise<OpenLink> {
  const stored = await storedLink(claims, deps);
  if (!stored.ok) return stored;
  const { link } = stored;
  if (link.usedAt !== undefined) {
    const what = link.decision === 'REJECT' ? '驳回 / rejected' : '批准 / approved';
    return {
      ok: false,
      response: message('ALREADY_USED', link.month, `${link.approverName}: ${what} ${link.usedAt}`),
    };
  }
  const request = await deps.approvals.getRequest(link.month, link.requestId);
  if (request === undefined) return { ok: false, response: message('INVALID_LINK') };
  if (request.status === 'SUPERSEDED') {
    return { ok: false, response: message('SUPERSEDED', link.month, request.closedReason) };
  }
  if (request.status !== 'PENDING') {
    const detail =
      request.status === 'REJECTED'
        ? `${request.rejection?.approverName ?? ''}: ${request.rejection?.reason ?? ''}`
        : request.status;
    return { ok: false, response: message('REQUEST_CLOSED', link.month, detail) };
  }
  return { ok: true, link, request };
}

async function loadView(request: ApprovalRequest, store: ObjectStore): Promise<ApprovalView | undefined> {
  const bytes = await store.readBytes(request.viewKey);
  if (bytes === undefined) return undefined;
  return ApprovalViewSchema.parse(JSON.parse(Buffer.from(bytes).toString('utf8')));
}

/** The user agent as recorded: at most 300 characters. */
/** The user agent a request names, as much of it as is kept. */
export const userAgentOf = (request: DeskRequest) => (request.headers['user-agent'] ?? '').slice(0, 300);

/** Names of the approvers who already approved from the device (source IP and user agent) of `request`. */
function approvedFromThisDevice(
  approval: ApprovalRequest,
  approverId: string,
  request: DeskRequest,
): string[] {
  const here = { sourceIp: request.sourceIp, userAgent: userAgentOf(request) };
  return Object.values(approval.approvals)
    .filter((a) => a.approverId !== approverId && sameDevice(a, here))
    .map((a) => a.approverName);
}

function decisionsSoFar(request: ApprovalRequest) {
  return Object.values(request.approvals)
    .sort((a, b) => (a.at < b.at ? -1 : 1))
    .map((a) => ({ approverName: a.approverName, decision: 'APPROVED' as const, at: a.at }));
}

/** `GET /approval?t=…`: shows the month and the form. Changes nothing, whoever fetches it. */
async function showApproval(request: DeskRequest, deps: DeskDeps): Promise<DeskResponse> {
  const check = await verified(request.query.t, deps);
  if (!check.ok) return check.response;
  const opened = await openLink(check.claims, deps);
  if (!opened.ok) return opened.response;
  const view = await loadView(opened.request, deps.store);
  if (view === undefined) return message('NOT_FOUND', opened.link.month);
  const nonce = newSessionNonce();
  const secure = deps.baseUrl.startsWith('https:') ? '; Secure' : '';
  return {
    statusCode: 200,
    headers: { ...HEADERS },
    cookies: [
      `${SESSION_COOKIE}=${nonce}; Path=${APPROVAL_PATH}; HttpOnly; SameSite=Strict; Max-Age=3600${secure}`,
    ],
    body: renderApprovalPage({
      view,
      approver: { id: opened.link.approverId, name: opened.link.approverName },
      requiredApprovals: opened.request.requiredApprovals,
      decisions: decisionsSoFar(opened.request),
      sameDeviceAs: approvedFromThisDevice(opened.request, opened.link.approverId, request),
      expiresAt: new Date(opened.link.expiresAt * 1000).toISOString(),
      form: {
        action: APPROVAL_PATH,
        token: request.query.t ?? '',
        csrf: csrfToken(check.keys.current, check.claims.linkId, nonce),
      },
      monthPageHref: `${MONTH_PAGE_PATH}?t=${encodeURIComponent(request.query.t ?? '')}`,
    }),
  };
}

/**
 * A POST must come from the approval site itself: Fetch metadata where the browser sends it,
 * else the Origin header where it names one. `Origin: null` is refused whatever else the request
 * says: browsers send it from sandboxed frames, `data:` and `file:` pages and across redirects, so
 * it hides where the post came from (the page's own form sends its origin: see `referrer-policy`).
 * (Either way the form must also carry the CSRF token bound to the SameSite=Strict session cookie
 * of the page.)
 */
export function isCrossSite(request: DeskRequest, baseUrl: string): boolean {
  const origin = request.headers.origin;
  if (origin?.trim().toLowerCase() === 'null') return true;
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin';
  return origin !== undefined && origin !== new URL(baseUrl).origin;
}

/**
 * `GET /report?t=…`: the month page of the link's month, rendered from the month's outputs as
 * they are now. Any valid, unexpired link of the month may read it (also after deciding).
 */
async function showReport(request: DeskRequest, deps: DeskDeps): Promise<DeskResponse> {
  const check = await verified(request.query.t, deps);
  if (!check.ok) return check.response;
  const stored = await storedLink(check.claims, deps);
  if (!stored.ok) return stored.response;
  const { link } = stored;
  try {
    const data = await monthPageData(link.month, {
      store: deps.store,
      now: () => deps.now().toISOString(),
    });
    return { statusCode: 200, headers: { ...HEADERS }, cookies: [], body: renderMonthPage(data) };
  } catch (error) {
    if (error instanceof MonthPageUnavailableError) return message('NOT_FOUND', link.month);
    throw error;
  }
}

/** `POST /approval`: records one approver's decision on the content they saw. */
async function decide(request: DeskRequest, deps: DeskDeps): Promise<DeskResponse> {
  if (isCrossSite(request, deps.baseUrl)) return message('FORBIDDEN', undefined, 'cross-site request');
  const form = new URLSearchParams(request.body);
  const check = await verified(form.get('token') ?? undefined, deps);
  if (!check.ok) return check.response;
  if (
    !checkCsrfWith(
      check.keys,
      check.claims.linkId,
      request.cookies[SESSION_COOKIE],
      form.get('csrf') ?? undefined,
    )
  ) {
    return message('FORBIDDEN', undefined, 'the form is not from this browser session');
  }
  const decision = form.get('decision');
  if (decision !== 'APPROVE' && decision !== 'REJECT') return message('FORBIDDEN', undefined, 'no decision');
  const reason = (form.get('reason') ?? '').trim();
  if (decision === 'REJECT' && reason.length === 0) return message('REASON_REQUIRED');

  const opened = await openLink(check.claims, deps);
  if (!opened.ok) return opened.response;
  const { link, request: approval } = opened;
  if (form.get('content') !== approval.contentSha256) {
    return message('CONTENT_CHANGED', link.month);
  }
  const at = deps.now().toISOString();
  if (!(await deps.approvals.useLink(link.linkId, decision, at))) {
    return message('ALREADY_USED', link.month);
  }
  const userAgent = userAgentOf(request);
  const who = {
    approverId: link.approverId,
    approverName: link.approverName,
    at,
    sourceIp: request.sourceIp,
    userAgent,
  };
  const audit = (result: string, extra: Record<string, unknown> = {}) =>
    deps.audit.append({
      month: link.month,
      action: 'APPROVAL_DECIDED',
      actor: link.approverId,
      at,
      contentSha256: approval.contentSha256,
      subject: `approval ${approval.requestId}`,
      details: {
        decision,
        result,
        approverName: link.approverName,
        requestId: approval.requestId,
        runId: approval.runId,
        sourceIp: request.sourceIp,
        userAgent,
        ...extra,
      },
    });

  // A final decision is stored first (noted for the sweep, then written), then delivered: a failed
  // SendTaskSuccess never loses it.
  const deliver = () =>
    deliverDecision(link.month, approval.requestId, deps, {
      delaysMs: DELIVERY_DELAYS_MS,
      by: 'payguard:approval-desk',
    });

  if (decision === 'REJECT') {
    const rejection = { ...who, reason: reason.slice(0, 2000) };
    await deps.approvals.noteUndelivered(link.month, approval.requestId, at);
    if (!(await deps.approvals.reject(link.month, approval.requestId, rejection))) {
      return message('REQUEST_CLOSED', link.month);
    }
    await audit('REJECTED', { reason: rejection.reason });
    await deliver();
    return message('RECORDED_REJECTED', link.month, maskIdsInText(rejection.reason));
  }

  const updated = await deps.approvals.addApproval(link.month, approval.requestId, who);
  if (updated === undefined) return message('REQUEST_CLOSED', link.month);
  const approvals = markSameDevice(Object.values(updated.approvals));
  const sameDeviceAs = approvals.find((a) => a.approverId === link.approverId)?.sameDeviceAs;
  if (sameDeviceAs !== undefined) {
    // Recorded and flagged, not refused: one office's proxy and browser build can be two people.
    await deps.audit.append({
      month: link.month,
      action: 'APPROVAL_SAME_DEVICE',
      actor: link.approverId,
      at,
      contentSha256: approval.contentSha256,
      subject: `approval ${approval.requestId}`,
      details: {
        requestId: approval.requestId,
        approverId: link.approverId,
        sameDeviceAs,
        sourceIp: request.sourceIp,
        userAgent,
      },
    });
  }
  const flag = sameDeviceAs === undefined ? {} : { sameDeviceAs };
  if (approvals.length < updated.requiredApprovals) {
    await audit('WAITING_FOR_SECOND_APPROVER', {
      approvals: approvals.length,
      required: updated.requiredApprovals,
      ...flag,
    });
    return message('WAITING_SECOND_APPROVER', link.month);
  }
  await deps.approvals.noteUndelivered(link.month, approval.requestId, at);
  await deps.approvals.markApproved(link.month, approval.requestId, at);
  await audit('APPROVED', { approvals: approvals.length, required: updated.requiredApprovals, ...flag });
  await deliver();
  return message('RECORDED_APPROVED', link.month);
}

/**
 * The approval site: `GET /approval?t=…` shows what is to be approved (and never decides),
 * `POST /approval` decides. Forged, tampered, expired, reused and cross-site requests get a clear
 * page and change nothing.
 */
export async function handleDeskRequest(request: DeskRequest, deps: DeskDeps): Promise<DeskResponse> {
  if (request.path === MONTH_PAGE_PATH && (request.method === 'GET' || request.method === 'HEAD')) {
    return showReport(request, deps);
  }
  if (request.path !== APPROVAL_PATH) return message('NOT_FOUND');
  if (request.method === 'GET' || request.method === 'HEAD') return showApproval(request, deps);
  if (request.method === 'POST') return decide(request, deps);
  return { ...message('NOT_FOUND'), statusCode: 405, headers: { ...HEADERS, allow: 'GET, POST' } };
}
