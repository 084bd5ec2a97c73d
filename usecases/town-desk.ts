import {
  checkCsrfWith,
  csrfToken,
  isSessionNonce,
  type LinkClaims,
  type LinkKeys,
  newSessionNonce,
  verifyLinkTokenWith,
} from '#domain/approval/link-token.ts';
import { compareRosters, type RosterComparison } from '#domain/desk/roster-comparison.ts';
import { rosterUpload } from '#schemas/bucket-layout.ts';
import {
  DESK_CSRF_HEADER,
  DESK_PREFIX,
  DESK_ROUTES,
  DESK_UPLOAD_MAX_BYTES,
  DESK_UPLOAD_TYPES,
  DESK_UPLOAD_URL_SECONDS,
  DESK_WORKBOOK_MAX_BYTES,
} from '#schemas/desk-site-routes.ts';
import { previousMonth } from '#schemas/month.ts';
import {
  deskCasesCsp,
  renderDeskCasePage,
  renderDeskCasesPage,
  renderDeskImportPage,
} from '#views/desk-cases-page.ts';
import {
  type DeskMessageKind,
  type DeskUploadRow,
  deskPageCsp,
  renderDeskMessage,
  renderDeskOpenPage,
  renderDeskPage,
  renderDeskReport,
} from '#views/desk-page.ts';
import { type DeskRequest, type DeskResponse, isCrossSite, userAgentOf } from './approval-desk.ts';
import { caseOutcomeFromFields } from './case-outcome-fields.ts';
import { exportOpenCasesWorkbook, importCaseOutcomesWorkbook } from './case-workbook.ts';
import type { DeskLink, DeskSession, DeskStore, TownUpload, UploadSigner } from './desk-ports.ts';
import { loadStagedPayees } from './load-staged-payees.ts';
import { caseOverdueDays } from './month-cases-view.ts';
import type { AuditTrail, CaseStore, ObjectStore } from './ports.ts';
import { listTownCases, recordCaseOutcome } from './town-cases.ts';

/** What the town desk needs. */
export interface TownDeskDeps {
  readonly desk: DeskStore;
  /** The cases (issue 11): every read and write scoped to the session's town and month. */
  readonly cases: CaseStore;
  readonly signer: UploadSigner;
  readonly store: ObjectStore;
  readonly audit: AuditTrail;
  /** The link-signing keys in force (the approval links' secret). */
  readonly keys: LinkKeys;
  /** The keys read again when a link fails to verify. @default - `keys` are final */
  readonly freshKeys?: () => Promise<LinkKeys>;
  /** The site's own base URL: a POST must come from its origin. */
  readonly baseUrl: string;
  /** Town names by code, for the page. @default - codes only */
  readonly townNames?: Readonly<Record<string, string>>;
  readonly now: () => Date;
}

/** The desk's session cookie: names a stored session, sent only to the desk's routes. */
export const DESK_SESSION_COOKIE = 'pg_desk';
/** The nonce binding the link-opening form to the browser that showed it. */
const OPEN_NONCE_COOKIE = 'pg_desk_open';

/** A session lasts at most this long, and never beyond its link's expiry. */
export const DESK_SESSION_SECONDS = 12 * 3600;

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

const STATUS: Record<DeskMessageKind, number> = {
  INVALID_LINK: 403,
  EXPIRED: 410,
  ALREADY_USED: 409,
  REVOKED: 410,
  NO_SESSION: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
};

function message(kind: DeskMessageKind, detail?: string): DeskResponse {
  return {
    statusCode: STATUS[kind],
    headers: { ...HEADERS },
    cookies: [],
    body: renderDeskMessage(kind, detail),
  };
}

function json(statusCode: number, value: unknown): DeskResponse {
  return {
    statusCode,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    cookies: [],
    body: JSON.stringify(value),
  };
}

const epoch = (deps: TownDeskDeps) => Math.floor(deps.now().getTime() / 1000);
const secure = (deps: TownDeskDeps) => (deps.baseUrl.startsWith('https:') ? '; Secure' : '');

type Refused = { ok: false; response: DeskResponse };

/** A link token that verifies and has not expired, and its stored link (usable or not). */
async function linkOf(
  token: string | undefined,
  deps: TownDeskDeps,
): Promise<{ ok: true; claims: LinkClaims; keys: LinkKeys; link: DeskLink } | Refused> {
  let keys = deps.keys;
  let check = verifyLinkTokenWith(token ?? '', keys, epoch(deps));
  if (!check.ok && check.reason === 'BAD_SIGNATURE' && deps.freshKeys) {
    keys = await deps.freshKeys();
    check = verifyLinkTokenWith(token ?? '', keys, epoch(deps));
  }
  if (!check.ok)
    return { ok: false, response: message(check.reason === 'EXPIRED' ? 'EXPIRED' : 'INVALID_LINK') };
  const link = await deps.desk.getLink(check.claims.linkId);
  // A token of an approval link verifies with the same key, but is no desk link.
  if (link === undefined || link.expiresAt !== check.claims.expiresAt) {
    return { ok: false, response: message('INVALID_LINK') };
  }
  if (link.revokedAt !== undefined) return { ok: false, response: message('REVOKED') };
  if (link.usedAt !== undefined) return { ok: false, response: message('ALREADY_USED', link.usedAt) };
  return { ok: true, claims: check.claims, keys, link };
}

/** `GET /desk/open?t=…`: whose desk the link opens, and a button. Changes nothing. */
async function showOpen(request: DeskRequest, deps: TownDeskDeps): Promise<DeskResponse> {
  const found = await linkOf(request.query.t, deps);
  if (!found.ok) return found.response;
  const nonce = newSessionNonce();
  return {
    statusCode: 200,
    headers: { ...HEADERS },
    cookies: [
      `${OPEN_NONCE_COOKIE}=${nonce}; Path=${DESK_ROUTES.open}; HttpOnly; SameSite=Strict; Max-Age=3600${secure(deps)}`,
    ],
    body: renderDeskOpenPage({
      month: found.link.month,
      town: deps.townNames?.[found.link.town] ?? found.link.town,
      token: request.query.t ?? '',
      csrf: csrfToken(found.keys.current, found.claims.linkId, nonce),
    }),
  };
}

/** `POST /desk/open`: uses the link once and opens a session in this browser. */
async function open(request: DeskRequest, deps: TownDeskDeps): Promise<DeskResponse> {
  if (isCrossSite(request, deps.baseUrl)) return message('FORBIDDEN', 'cross-site request');
  const form = new URLSearchParams(request.body);
  const found = await linkOf(form.get('token') ?? undefined, deps);
  if (!found.ok) return found.response;
  const { link, keys, claims } = found;
  if (
    !checkCsrfWith(keys, claims.linkId, request.cookies[OPEN_NONCE_COOKIE], form.get('csrf') ?? undefined)
  ) {
    return message('FORBIDDEN', 'the form is not from this browser session');
  }
  const at = deps.now().toISOString();
  if (!(await deps.desk.useLink(link.linkId, at))) return message('ALREADY_USED');
  const session: DeskSession = {
    sessionId: newSessionNonce(),
    linkId: link.linkId,
    month: link.month,
    town: link.town,
    officerEmail: link.officerEmail,
    expiresAt: Math.min(link.expiresAt, epoch(deps) + DESK_SESSION_SECONDS),
    openedAt: at,
    sourceIp: request.sourceIp,
    userAgent: userAgentOf(request),
  };
  await deps.desk.putSession(session);
  await deps.audit.append({
    month: link.month,
    action: 'DESK_OPENED',
    actor: link.officerEmail,
    at,
    subject: `desk ${link.town}`,
    details: {
      town: link.town,
      linkId: link.linkId,
      sourceIp: request.sourceIp,
      userAgent: session.userAgent,
    },
  });
  const maxAge = Math.max(0, session.expiresAt - epoch(deps));
  return {
    statusCode: 303,
    headers: { ...HEADERS, location: DESK_ROUTES.home },
    cookies: [
      `${DESK_SESSION_COOKIE}=${session.sessionId}; Path=${DESK_PREFIX}; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure(deps)}`,
      `${OPEN_NONCE_COOKIE}=; Path=${DESK_ROUTES.open}; HttpOnly; SameSite=Strict; Max-Age=0${secure(deps)}`,
    ],
    body: '',
  };
}

/** The session of the request's cookie, while it and its link last (a revoked link ends it). */
async function sessionOf(
  request: DeskRequest,
  deps: TownDeskDeps,
): Promise<{ ok: true; session: DeskSession } | Refused> {
  const id = request.cookies[DESK_SESSION_COOKIE];
  if (!isSessionNonce(id)) return { ok: false, response: message('NO_SESSION') };
  const session = await deps.desk.getSession(id);
  if (session === undefined || epoch(deps) >= session.expiresAt)
    return { ok: false, response: message('NO_SESSION') };
  const link = await deps.desk.getLink(session.linkId);
  if (link === undefined || link.revokedAt !== undefined) return { ok: false, response: message('REVOKED') };
  return { ok: true, session };
}

/** The CSRF token of a session's forms: bound to its link and to the session itself. */
const sessionCsrf = (keys: LinkKeys, session: DeskSession) =>
  csrfToken(keys.current, session.linkId, session.sessionId);

/** Cross-site, session and CSRF checks of a desk POST (form-encoded body with `csrf`). */
async function postSession(
  request: DeskRequest,
  deps: TownDeskDeps,
  /** The body is a file: the CSRF token comes in the {@link DESK_CSRF_HEADER} header. */
  fileBody = false,
): Promise<{ ok: true; session: DeskSession; form: URLSearchParams } | Refused> {
  if (isCrossSite(request, deps.baseUrl))
    return { ok: false, response: message('FORBIDDEN', 'cross-site request') };
  const found = await sessionOf(request, deps);
  if (!found.ok) return found;
  const form = new URLSearchParams(fileBody ? '' : request.body);
  const presented = fileBody ? request.headers[DESK_CSRF_HEADER] : (form.get('csrf') ?? undefined);
  const keys =
    deps.freshKeys && !checkCsrfWith(deps.keys, found.session.linkId, found.session.sessionId, presented)
      ? await deps.freshKeys()
      : deps.keys;
  if (!checkCsrfWith(keys, found.session.linkId, found.session.sessionId, presented)) {
    return { ok: false, response: message('FORBIDDEN', 'the form is not from this desk session') };
  }
  return { ok: true, session: found.session, form };
}

const uploadRow = (u: TownUpload): DeskUploadRow => ({
  uploadId: u.uploadId,
  fileName: u.fileName,
  at: u.order.split('|')[0] ?? '',
  status: u.status,
  ...(u.outcome ? { validRows: u.outcome.validRows, invalidRows: u.outcome.invalidRows } : {}),
  ...(u.outcome?.fileFinding ? { fileFinding: u.outcome.fileFinding } : {}),
});

/** The month's accepted roster of the town against the month before's, read from the staged rosters. */
async function comparison(
  session: DeskSession,
  deps: TownDeskDeps,
): Promise<{ previousMonth: string; result: RosterComparison } | { none: string }> {
  const before = previousMonth(session.month);
  const [nowKey, beforeKey] = await Promise.all([
    deps.desk.acceptedStagedKey(session.month, session.town),
    deps.desk.acceptedStagedKey(before, session.town),
  ]);
  if (nowKey === undefined) return { none: '本月尚无已受理的名册。/ No accepted roster this month yet.' };
  if (beforeKey === undefined)
    return { none: `${before} 无已受理的名册可比。/ No accepted roster of ${before} to compare with.` };
  const [rowsNow, rowsBefore] = await Promise.all([
    loadStagedPayees([{ batch: session.town, stagedKey: nowKey }], deps.store),
    loadStagedPayees([{ batch: session.town, stagedKey: beforeKey }], deps.store),
  ]);
  return { previousMonth: before, result: compareRosters(rowsBefore, rowsNow) };
}

/** `GET /desk/home`: the session's town's uploads, their status, and the comparison. */
async function showHome(request: DeskRequest, deps: TownDeskDeps): Promise<DeskResponse> {
  const found = await sessionOf(request, deps);
  if (!found.ok) return found.response;
  const { session } = found;
  const [uploads, compared, uploadOrigin] = await Promise.all([
    deps.desk.batchUploads(session.month, session.town),
    comparison(session, deps),
    deps.signer.origin(rosterUpload.key({ month: session.month, batch: session.town, file: 'probe.csv' })),
  ]);
  const scriptNonce = newSessionNonce();
  const townName = deps.townNames?.[session.town];
  return {
    statusCode: 200,
    headers: { ...HEADERS, 'content-security-policy': deskPageCsp(scriptNonce, uploadOrigin) },
    cookies: [],
    body: renderDeskPage({
      month: session.month,
      town: session.town,
      ...(townName ? { townName } : {}),
      officerEmail: session.officerEmail,
      uploads: uploads.map(uploadRow).reverse(),
      ...('none' in compared ? { noComparison: compared.none } : { comparison: compared }),
      csrf: sessionCsrf(deps.keys, session),
      scriptNonce,
      uploadOrigin,
      sessionExpiresAt: new Date(session.expiresAt * 1000).toISOString(),
    }),
  };
}

/** A file name kept readable in the bucket: no folder, no leading dot, at most 80 characters. */
function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  return base
    .replace(/[^\p{L}\p{N}._-]+/gu, '_')
    .replace(/^\.+/, '')
    .slice(-80);
}

/**
 * `POST /desk/upload`: a presigned PUT for one roster of the session's town and month, into
 * `incoming/{month}/{town}/` under a new name (an earlier upload is never overwritten); the
 * content type (from the extension: CSV or XLSX) and the size are signed in.
 */
async function signUpload(request: DeskRequest, deps: TownDeskDeps): Promise<DeskResponse> {
  const checked = await postSession(request, deps);
  if (!checked.ok)
    return json(checked.response.statusCode, { message: '请求被拒绝 / refused: session or form not valid' });
  const { session, form } = checked;
  const fileName = safeFileName(form.get('fileName') ?? '');
  const extension = fileName.toLowerCase().split('.').pop() ?? '';
  const contentType = DESK_UPLOAD_TYPES[extension as keyof typeof DESK_UPLOAD_TYPES];
  if (contentType === undefined) {
    return json(400, { message: '只接受 .csv 或 .xlsx 文件 / only .csv or .xlsx files are accepted' });
  }
  const size = Number(form.get('size'));
  if (!Number.isSafeInteger(size) || size <= 0 || size > DESK_UPLOAD_MAX_BYTES) {
    return json(400, {
      message: `文件为空或超过上限 / the file is empty or larger than ${DESK_UPLOAD_MAX_BYTES} bytes`,
    });
  }
  const at = deps.now();
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const key = rosterUpload.key({
    month: session.month,
    batch: session.town,
    file: `desk-${stamp}-${newSessionNonce().slice(0, 6)}-${fileName}`,
  });
  const url = await deps.signer.signPut(key, contentType, size, DESK_UPLOAD_URL_SECONDS);
  await deps.audit.append({
    month: session.month,
    action: 'DESK_UPLOAD_SIGNED',
    actor: session.officerEmail,
    at: at.toISOString(),
    subject: key,
    details: { town: session.town, size, contentType, linkId: session.linkId, sourceIp: request.sourceIp },
  });
  return json(200, { url, key, contentType });
}

/** `GET /desk/report?upload=…`: one upload's report, only of the session's town and month. */
async function showReport(request: DeskRequest, deps: TownDeskDeps): Promise<DeskResponse> {
  const found = await sessionOf(request, deps);
  if (!found.ok) return found.response;
  const { session } = found;
  const uploadId = request.query.upload ?? '';
  const upload = /^[0-9a-f]{16}$/.test(uploadId) ? await deps.desk.getUpload(uploadId) : undefined;
  // Another town's (or month's) upload is answered as if it did not exist.
  if (upload === undefined || upload.month !== session.month || upload.batch !== session.town) {
    return message('NOT_FOUND');
  }
  const key = upload.outcome?.readableReportKey;
  const bytes = key === undefined ? undefined : await deps.store.readBytes(key);
  const report =
    bytes === undefined
      ? (upload.failure ?? '尚无报告 / no report yet')
      : Buffer.from(bytes).toString('utf8');
  return {
    statusCode: 200,
    headers: { ...HEADERS },
    cookies: [],
    body: renderDeskReport({
      month: session.month,
      town: session.town,
      fileName: upload.fileName,
      status: upload.status,
      report,
    }),
  };
}

/** The officer as the audit trail and the cases name her: her office's e-mail and town. */
const officerOf = (session: DeskSession) => `${session.officerEmail} (${session.town})`;

/** `GET /desk/cases`: the town's cases of the month, the workbook download and upload. */
async function showCases(request: DeskRequest, deps: TownDeskDeps): Promise<DeskResponse> {
  const found = await sessionOf(request, deps);
  if (!found.ok) return found.response;
  const { session } = found;
  const [cases, overdueDays] = await Promise.all([
    listTownCases({ month: session.month, town: session.town }, deps),
    caseOverdueDays(deps.store),
  ]);
  const scriptNonce = newSessionNonce();
  const saved = request.query.saved;
  return {
    statusCode: 200,
    headers: { ...HEADERS, 'content-security-policy': deskCasesCsp(scriptNonce) },
    cookies: [],
    body: renderDeskCasesPage({
      month: session.month,
      town: session.town,
      cases,
      now: deps.now().toISOString(),
      overdueDays,
      csrf: sessionCsrf(deps.keys, session),
      scriptNonce,
      ...(saved && cases.some((c) => c.caseId === saved) ? { saved } : {}),
    }),
  };
}

/** `GET /desk/case?id=…`: one case of the session's town and its outcome form; another town's is 404. */
async function showCase(request: DeskRequest, deps: TownDeskDeps): Promise<DeskResponse> {
  const found = await sessionOf(request, deps);
  if (!found.ok) return found.response;
  const { session } = found;
  const record = await deps.cases.get(session.month, session.town, request.query.id ?? '');
  if (record === undefined || record.town !== session.town) return message('NOT_FOUND');
  return {
    statusCode: 200,
    headers: { ...HEADERS },
    cookies: [],
    body: renderDeskCasePage({
      month: session.month,
      town: session.town,
      case: record,
      csrf: sessionCsrf(deps.keys, session),
    }),
  };
}

/**
 * `POST /desk/case`: records one case's outcome over the version the form showed. Saved: back to
 * the list; refused: the form again with the reasons; a conflict: the case as it is now, said so.
 */
async function saveCase(request: DeskRequest, deps: TownDeskDeps): Promise<DeskResponse> {
  const checked = await postSession(request, deps);
  if (!checked.ok) return checked.response;
  const { session, form } = checked;
  const caseId = form.get('caseId') ?? '';
  const field = (name: string) => form.get(name) ?? '';
  const fields = caseOutcomeFromFields({
    outcome: field('outcome'),
    action: field('action'),
    rootCause: field('rootCause'),
    discrepancy: field('discrepancy'),
    visitDate: field('visitDate'),
    note: field('note'),
    overpaid: field('overpaid'),
    underpaid: field('underpaid'),
    wronglyPaid: field('wronglyPaid'),
    recovered: field('recovered'),
  });
  const version = Number(form.get('expectedVersion'));
  const page = (
    statusCode: number,
    record: CaseRecordOf,
    problems: readonly string[],
    conflict = false,
  ): DeskResponse => ({
    statusCode,
    headers: { ...HEADERS },
    cookies: [],
    body: renderDeskCasePage({
      month: session.month,
      town: session.town,
      case: record,
      csrf: sessionCsrf(deps.keys, session),
      problems,
      conflict,
    }),
  });
  const current = await deps.cases.get(session.month, session.town, caseId);
  if (current === undefined || current.town !== session.town) return message('NOT_FOUND');
  if ('reasons' in fields) return page(400, current, fields.reasons);
  const result = await recordCaseOutcome(
    {
      month: session.month,
      town: session.town,
      caseId,
      officer: officerOf(session),
      input: fields.input,
      expectedVersion: Number.isSafeInteger(version) ? version : -1,
    },
    { cases: deps.cases, audit: deps.audit, now: () => deps.now().toISOString() },
  );
  switch (result.status) {
    case 'saved':
      return {
        statusCode: 303,
        headers: { ...HEADERS, location: `${DESK_ROUTES.cases}?saved=${encodeURIComponent(caseId)}` },
        cookies: [],
        body: '',
      };
    case 'conflict':
      return page(409, result.current ?? current, result.reasons, true);
    case 'invalid':
      return page(400, current, result.reasons);
    default:
      return message('NOT_FOUND');
  }
}

type CaseRecordOf = NonNullable<Awaited<ReturnType<CaseStore['get']>>>;

/** `GET /desk/cases.xlsx`: the town's open cases as the template to fill in Excel. */
async function downloadWorkbook(request: DeskRequest, deps: TownDeskDeps): Promise<DeskResponse> {
  const found = await sessionOf(request, deps);
  if (!found.ok) return found.response;
  const { session } = found;
  const bytes = await exportOpenCasesWorkbook({ month: session.month, town: session.town }, deps);
  return {
    statusCode: 200,
    headers: {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="cases-${session.town}-${session.month}.xlsx"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    cookies: [],
    body: Buffer.from(bytes).toString('base64'),
    isBase64Encoded: true,
  };
}

/** `POST /desk/cases-import`: applies the filled workbook (the body) row by row and shows its report. */
async function importWorkbook(request: DeskRequest, deps: TownDeskDeps): Promise<DeskResponse> {
  const checked = await postSession(request, deps, true);
  if (!checked.ok) return checked.response;
  const { session } = checked;
  const bytes = request.bodyBytes ?? new TextEncoder().encode(request.body);
  if (bytes.length === 0 || bytes.length > DESK_WORKBOOK_MAX_BYTES) {
    return message(
      'FORBIDDEN',
      `工作簿为空或超过上限 / the workbook is empty or larger than ${DESK_WORKBOOK_MAX_BYTES} bytes`,
    );
  }
  const report = await importCaseOutcomesWorkbook(
    { month: session.month, town: session.town, officer: officerOf(session), bytes },
    { cases: deps.cases, audit: deps.audit, now: () => deps.now().toISOString() },
  );
  return { statusCode: 200, headers: { ...HEADERS }, cookies: [], body: renderDeskImportPage(report) };
}

/**
 * The town desk: `GET /desk/open?t=…` shows whose desk a link opens, `POST /desk/open` uses it
 * once and opens a session; `GET /desk/home` and `GET /desk/report` show the session's town only;
 * `POST /desk/upload` signs one roster PUT. GET changes nothing; every POST must be same-origin
 * and carry the CSRF token bound to the session.
 */
export async function handleTownDeskRequest(request: DeskRequest, deps: TownDeskDeps): Promise<DeskResponse> {
  const read = request.method === 'GET' || request.method === 'HEAD';
  switch (request.path) {
    case DESK_ROUTES.open:
      if (read) return showOpen(request, deps);
      if (request.method === 'POST') return open(request, deps);
      break;
    case DESK_ROUTES.home:
      if (read) return showHome(request, deps);
      break;
    case DESK_ROUTES.report:
      if (read) return showReport(request, deps);
      break;
    case DESK_ROUTES.upload:
      if (request.method === 'POST') return signUpload(request, deps);
      break;
    case DESK_ROUTES.cases:
      if (read) return showCases(request, deps);
      break;
    case DESK_ROUTES.case:
      if (read) return showCase(request, deps);
      if (request.method === 'POST') return saveCase(request, deps);
      break;
    case DESK_ROUTES.casesWorkbook:
      if (read) return downloadWorkbook(request, deps);
      break;
    case DESK_ROUTES.casesImport:
      if (request.method === 'POST') return importWorkbook(request, deps);
      break;
    default:
      return message('NOT_FOUND');
  }
  return { ...message('NOT_FOUND'), statusCode: 405 };
}
