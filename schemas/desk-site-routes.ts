/**
 * The routes of the town desk, on the same site (API Gateway HTTP API) as the approval page but
 * under their own prefix, served by their own function (`town-desk`): the stack routes exactly
 * these to it, the local site too, and the desk answers them. A link is
 * `{site URL}{DESK_ROUTES.open}?t={link token}`.
 */

/** Every desk route starts with it; nothing else of the site does. */
export const DESK_PREFIX = '/desk';

export const DESK_ROUTES = {
  /** `GET` shows a link's town and a button; `POST` uses the link once and opens the session. */
  open: '/desk/open',
  /** `GET`: the desk of the session's town (uploads, their status and reports, the comparison). */
  home: '/desk/home',
  /** `POST`: a presigned PUT for one roster of the session's town and month (JSON). */
  upload: '/desk/upload',
  /** `GET ?upload=…`: the validation report of one upload of the session's town. */
  report: '/desk/report',
  /** `GET`: the town's cases of the month, the workbook download and upload. */
  cases: '/desk/cases',
  /** `GET ?id=…`: one case and its outcome form; `POST`: records the outcome. */
  case: '/desk/case',
  /** `GET`: the town's open cases as the XLSX template. */
  casesWorkbook: '/desk/cases.xlsx',
  /** `POST` (the filled workbook as the body, CSRF token in `x-csrf-token`): applies it, shows the report. */
  casesImport: '/desk/cases-import',
} as const;

/** The largest case workbook the desk takes back (API Gateway carries at most 10 MB). */
export const DESK_WORKBOOK_MAX_BYTES = 5 * 1024 * 1024;

/** The header a desk POST whose body is a file carries its CSRF token in. */
export const DESK_CSRF_HEADER = 'x-csrf-token';

/** Every desk route, for the stack's and the local site's routing. */
export const DESK_PATHS: readonly string[] = Object.values(DESK_ROUTES);

/**
 * What a roster uploaded from the desk may be: its extension gives the content type signed into
 * the presigned PUT (the browser must send exactly it), and the size signed is the file's.
 */
export const DESK_UPLOAD_TYPES = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** The largest roster the desk signs a PUT for: a town's roster is a few megabytes at most. */
export const DESK_UPLOAD_MAX_BYTES = 20 * 1024 * 1024;

/** How long a presigned PUT is valid: the officer's browser uses it at once. */
export const DESK_UPLOAD_URL_SECONDS = 300;
