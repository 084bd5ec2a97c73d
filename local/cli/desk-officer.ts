import ExcelJS from 'exceljs';
import { DESK_CSRF_HEADER, DESK_ROUTES } from '#schemas/desk-site-routes.ts';
import { formValue } from './approval-browser.ts';
import { caseTemplateColumns } from './case-template-columns.ts';

/** What the demonstration's town officer did on her desk. */
export interface OfficerPlay {
  readonly town: string;
  /** Cases closed one by one on the page. */
  readonly closedOnPage: number;
  /** Visits recorded on the page. */
  readonly visits: number;
  /** Rows applied from the workbook uploaded back. */
  readonly importedRows: number;
}

/** A browser-like client of the desk over plain HTTP: keeps the session cookie, posts from the site's origin. */
class DeskClient {
  private cookie = '';
  constructor(private readonly site: string) {}

  async get(path: string): Promise<Response> {
    return fetch(new URL(path, this.site), {
      headers: { cookie: this.cookie, 'sec-fetch-site': 'same-origin' },
    });
  }

  async post(
    path: string,
    body: URLSearchParams | Uint8Array,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const response = await fetch(new URL(path, this.site), {
      method: 'POST',
      body,
      redirect: 'manual',
      headers: {
        cookie: this.cookie,
        origin: new URL(this.site).origin,
        'sec-fetch-site': 'same-origin',
        ...headers,
      },
    });
    for (const set of response.headers.getSetCookie()) {
      const pair = set.split(';')[0] ?? '';
      if (pair.startsWith('pg_desk=')) this.cookie = pair;
    }
    return response;
  }

  /** GET the link's page, then POST its button as the browser does. */
  async open(link: string): Promise<void> {
    const shown = await fetch(link, { headers: { 'sec-fetch-site': 'none' } });
    const nonce = (shown.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    const html = await shown.text();
    this.cookie = nonce;
    const opened = await this.post(
      DESK_ROUTES.open,
      new URLSearchParams({ token: formValue(html, 'token') ?? '', csrf: formValue(html, 'csrf') ?? '' }),
    );
    if (opened.status !== 303) throw new Error(`the desk link did not open (HTTP ${opened.status})`);
  }
}

const caseIds = (html: string, kind: 'F' | 'V') =>
  [...html.matchAll(/data-testid="case-row" data-case-id="([^"]+)"[\s\S]*?<\/tr>/g)]
    .filter((m) => m[1]?.startsWith(`${kind}-`) && m[0].includes('未办结'))
    .map((m) => m[1] as string);

/**
 * The rows the desk applied from an uploaded workbook, as its import report page states them
 * (`data-testid="import-applied"` of `views/case-import-report.ts`, the count the page shows the
 * officer). Anything but that report (the desk answered an error: the import did not finish within
 * the desk's time limit, the session was refused) is an error, never 0 rows.
 */
export function importedRowCount(status: number, page: string): number {
  const applied = /data-testid="import-applied">(\d+)</.exec(page)?.[1];
  if (status !== 200 || applied === undefined) {
    throw new Error(
      `the desk did not report the workbook import (HTTP ${status}): ${page.slice(0, 200).replace(/\s+/g, ' ')}`,
    );
  }
  return Number(applied);
}

/**
 * At most this many rows of the workbook are filled: a morning's work, and an import the desk
 * applies well within its time limit (25 s behind API Gateway) on a busy machine.
 */
const WORKBOOK_ROWS_FILLED = 200;

/** The outcome the demonstration's officer records for the `i`-th open finding of her town. */
function findingOutcome(html: string, i: number): Record<string, string> {
  const allowed = [...html.matchAll(/<option value="([A-Z_]+)">/g)].map((m) => m[1]);
  if (allowed.includes('CONFIRMED_IN_ORDER')) {
    return i % 2 === 0
      ? {
          outcome: 'PROBLEM_CONFIRMED',
          action: 'STOP_NEXT_MONTH',
          rootCause: 'VERIFICATION',
          overpaid: '1180.00',
          recovered: i % 4 === 0 ? '1180.00' : '',
        }
      : { outcome: 'CONFIRMED_IN_ORDER', note: '已入户核实，情况属实 / checked at home: in order' };
  }
  return { outcome: 'CORRECTED_RESUBMITTED', note: '已更正 / corrected' };
}

/**
 * Plays one town officer through her desk over real HTTP, as `--approve auto` plays the approvers:
 * opens her e-mailed link, closes a few findings one by one on the page (some confirmed problems
 * with money over-paid and recovered, some in order), records visits (one household not found, so
 * the next replacement becomes due), and works more of the open findings (up to
 * {@link WORKBOOK_ROWS_FILLED}) in the XLSX template she downloads, fills and uploads back.
 */
export async function playTownOfficer(input: {
  site: string;
  town: string;
  link: string;
}): Promise<OfficerPlay> {
  const desk = new DeskClient(input.site);
  await desk.open(input.link);
  const list = await (await desk.get(DESK_ROUTES.cases)).text();
  const findings = caseIds(list, 'F');
  let closedOnPage = 0;
  for (const [i, caseId] of findings.slice(0, Math.min(8, Math.ceil(findings.length / 2))).entries()) {
    const page = await (await desk.get(`${DESK_ROUTES.case}?id=${encodeURIComponent(caseId)}`)).text();
    const saved = await desk.post(
      DESK_ROUTES.case,
      new URLSearchParams({
        csrf: formValue(page, 'csrf') ?? '',
        caseId,
        expectedVersion: formValue(page, 'expectedVersion') ?? '',
        ...findingOutcome(page, i),
      }),
    );
    if (saved.status === 303) closedOnPage++;
  }
  let visits = 0;
  for (const [i, caseId] of caseIds(list, 'V').entries()) {
    const page = await (await desk.get(`${DESK_ROUTES.case}?id=${encodeURIComponent(caseId)}`)).text();
    const outcome: Record<string, string> =
      i === 0
        ? { outcome: 'NOT_FOUND' }
        : i === 1
          ? { outcome: 'DISCREPANCY', discrepancy: 'INCOME', underpaid: '200.00' }
          : { outcome: 'MATCHES_FILE' };
    const saved = await desk.post(
      DESK_ROUTES.case,
      new URLSearchParams({
        csrf: formValue(page, 'csrf') ?? '',
        caseId,
        expectedVersion: formValue(page, 'expectedVersion') ?? '',
        visitDate: new Date().toISOString().slice(0, 10),
        ...outcome,
      }),
    );
    if (saved.status === 303) visits++;
  }
  // The rest of the open findings in Excel: download, fill, upload back.
  const csrf = formValue(await (await desk.get(DESK_ROUTES.cases)).text(), 'csrf') ?? '';
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await (await desk.get(DESK_ROUTES.casesWorkbook)).arrayBuffer()) as never);
  const sheet = workbook.worksheets[0];
  let importedRows = 0;
  if (sheet !== undefined) {
    const col = caseTemplateColumns(sheet);
    let filled = 0;
    for (let r = 2; r <= sheet.rowCount && filled < WORKBOOK_ROWS_FILLED; r++) {
      const id = String(sheet.getCell(r, col('case_id')).value ?? '');
      if (!id.startsWith('F-')) continue;
      filled++;
      const severity = String(sheet.getCell(r, col('severity')).value ?? '');
      sheet.getCell(r, col('outcome')).value = severity.includes('BLOCK')
        ? 'STOPPED'
        : 'DATA_ERROR_CORRECTED';
    }
    const bytes = await workbook.xlsx.writeBuffer();
    const imported = await desk.post(DESK_ROUTES.casesImport, new Uint8Array(bytes), {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      [DESK_CSRF_HEADER]: csrf,
    });
    importedRows = importedRowCount(imported.status, await imported.text());
  }
  return { town: input.town, closedOnPage, visits, importedRows };
}

/** What a town's case list on the desk shows. */
export interface DeskCaseList {
  readonly town: string;
  /** Finding cases listed (open or closed by an officer). */
  readonly findings: number;
  /** Visit cases listed. */
  readonly visits: number;
  /** Cases only counted as withdrawn by a newer check of the month (not listed). */
  readonly withdrawn: number;
}

/** Reads a town's case list page of the desk. */
export function deskCaseList(town: string, html: string): DeskCaseList {
  const rows = [...html.matchAll(/data-testid="case-row" data-case-id="([^"]+)"/g)].map((m) => m[1] ?? '');
  return {
    town,
    findings: rows.filter((id) => id.startsWith('F-')).length,
    visits: rows.filter((id) => id.startsWith('V-')).length,
    withdrawn: Number(/data-testid="case-withdrawn-count">(\d+)</.exec(html)?.[1] ?? 0),
  };
}

/** Opens a town officer's e-mailed desk link and reads her case list, changing nothing. */
export async function viewTownCases(input: {
  site: string;
  town: string;
  link: string;
}): Promise<DeskCaseList> {
  const desk = new DeskClient(input.site);
  await desk.open(input.link);
  return deskCaseList(input.town, await (await desk.get(DESK_ROUTES.cases)).text());
}

/** The status the desk shows for one upload (`ACCEPTED`, `REJECTED`, …), `REGISTERED` while it is checked. */
const uploadStatus = (home: string, fileName: string): string | undefined =>
  [
    ...home.matchAll(/data-testid="upload-row" data-upload="[^"]*" data-status="([A-Z_]+)">\s*<td>([^<]*)</g),
  ].find((m) => m[2] === fileName)?.[1];

/**
 * Plays a town officer uploading a roster from her desk over real HTTP, as the desk page's script
 * does: opens her e-mailed link, asks for a presigned PUT, PUTs the file straight into the bucket,
 * then reloads her desk until the upload is checked.
 * @returns the upload's status on the desk once it is no longer being checked.
 */
export async function uploadFromDesk(input: {
  site: string;
  link: string;
  fileName: string;
  body: Uint8Array;
  timeoutMs?: number;
}): Promise<string> {
  const desk = new DeskClient(input.site);
  await desk.open(input.link);
  const home = await (await desk.get(DESK_ROUTES.home)).text();
  const asked = await desk.post(
    DESK_ROUTES.upload,
    new URLSearchParams({
      csrf: formValue(home, 'csrf') ?? '',
      fileName: input.fileName,
      size: String(input.body.byteLength),
    }),
  );
  const answer = (await asked.json()) as {
    url?: string;
    key?: string;
    contentType?: string;
    message?: string;
  };
  if (!asked.ok || !answer.url || !answer.key || !answer.contentType)
    throw new Error(`the desk refused the upload (HTTP ${asked.status}): ${answer.message ?? ''}`);
  const put = await fetch(answer.url, {
    method: 'PUT',
    headers: { 'content-type': answer.contentType },
    body: input.body,
  });
  if (!put.ok) throw new Error(`the presigned PUT failed (HTTP ${put.status})`);
  const shown = answer.key.split('/').at(-1) ?? '';
  const until = Date.now() + (input.timeoutMs ?? 120_000);
  for (;;) {
    const status = uploadStatus(await (await desk.get(DESK_ROUTES.home)).text(), shown);
    if (status !== undefined && status !== 'REGISTERED') return status;
    if (Date.now() > until) throw new Error(`the desk upload ${shown} was not checked in time`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
