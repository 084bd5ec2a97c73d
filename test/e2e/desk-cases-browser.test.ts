import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { documentClient } from '#adapters/clients.ts';
import { DynamoCaseStore } from '#adapters/dynamo-case-store.ts';
import { deskLinks } from '#local/cli/desk-mail.ts';
import { issueDeskLinksLocally } from '#local/engine/desk-links.ts';
import { type CaseRecord, VISIT_CASE_CODE } from '#schemas/case.ts';
import { DESK_ROUTES } from '#schemas/desk-site-routes.ts';
import { launchChromium } from '../support/chromium.ts';
import { type IngestHarness, startIngestHarness } from '../support/local-harness.ts';
import { TOWNS_CSV, validId } from '../support/roster-builder.ts';

const MONTH = '2026-10';

let browser: Browser;
let h: IngestHarness;
let cases: DynamoCaseStore;

const finding = (n: number, overrides: Partial<CaseRecord> = {}): CaseRecord => ({
  caseId: `F-${String(n).padStart(16, '0')}`,
  month: MONTH,
  town: 'shiqi',
  kind: 'FINDING',
  code: 'EMPLOYED',
  severity: 'REVIEW',
  idNumber: validId('19600101', n),
  category: 'DIBAO',
  batch: 'shiqi',
  row: n,
  detail: `detail ${n}`,
  evidenceFingerprint: 'f'.repeat(64),
  status: 'OPEN',
  money: { overpaidFen: 0, underpaidFen: 0, wronglyPaidFen: 0, recoveredFen: 0 },
  openedAt: '2026-10-01T08:00:00.000Z',
  version: 1,
  ...overrides,
});

const visit = (n: number): CaseRecord => ({
  ...finding(n),
  caseId: `V-${String(n).padStart(16, '0')}`,
  kind: 'VISIT',
  code: VISIT_CASE_CODE,
  severity: undefined,
  evidenceFingerprint: undefined,
  householdId: `H${n}`,
  rank: 1,
  batch: undefined,
  row: undefined,
});

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  h = await startIngestHarness();
  await h.put('reference/towns.csv', TOWNS_CSV);
  await h.bridge.drain();
  cases = new DynamoCaseStore(documentClient(), h.stack.caseTable);
  await cases.openAll(MONTH, [
    finding(1),
    finding(2, { severity: 'BLOCK', code: 'AMOUNT_MISMATCH' }),
    finding(3),
    visit(4),
    finding(9, { town: 'dongqu', batch: 'dongqu' }),
  ]);
  await issueDeskLinksLocally({ month: MONTH, towns: ['shiqi'], by: 'bureau:test' });
});

afterEach(async () => {
  await h.stop();
});

async function openDesk(page: Page): Promise<void> {
  const link = h.services.ses.sent().flatMap((m) => deskLinks(m.text ?? ''))[0];
  await page.goto(link ?? '');
  await page.getByTestId('open-desk').click();
  await page.waitForURL(`**${DESK_ROUTES.home}`);
  await page.getByTestId('cases-link').click();
}

describe("the town's cases on the desk in a real browser", () => {
  it('closes a case on the page, records a visit, and shows a conflict to the second of two saves', async () => {
    // Prepare
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await openDesk(page);
    const listed = await page
      .getByTestId('case-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-id')));
    const maskedList = (await page.getByTestId('case-list').textContent()) ?? '';

    // Act: a REVIEW case confirmed in order …
    await page.locator(`[data-case-id="${finding(1).caseId}"] a`).click();
    const fullId = await page.getByTestId('case-id-number').textContent();
    await page.selectOption('#outcome', 'CONFIRMED_IN_ORDER');
    await page.fill('#note', '已核实，在职信息为误报 / checked, the employment record is another person');
    await page.getByRole('button', { name: '保存 / Save' }).click();
    await page.waitForURL(`**${DESK_ROUTES.cases}?saved=*`);
    const saved = await page.getByTestId('case-saved').textContent();
    // … a visit recorded …
    await page.locator(`[data-case-id="${visit(4).caseId}"] a`).click();
    await page.selectOption('#outcome', 'MATCHES_FILE');
    await page.fill('#visitDate', '2026-10-08');
    await page.getByRole('button', { name: '保存 / Save' }).click();
    await page.waitForURL(`**${DESK_ROUTES.cases}?saved=*`);
    // … and two officers on one case: the second save is refused with a clear conflict
    const other = await browser.newPage();
    await other.context().addCookies(await page.context().cookies());
    await page.goto(`${h.services.approvalUrl}${DESK_ROUTES.case}?id=${finding(3).caseId}`);
    await other.goto(`${h.services.approvalUrl}${DESK_ROUTES.case}?id=${finding(3).caseId}`);
    await page.selectOption('#outcome', 'DATA_ERROR_CORRECTED');
    await page.getByRole('button', { name: '保存 / Save' }).click();
    await page.waitForURL(`**${DESK_ROUTES.cases}?saved=*`);
    await other.selectOption('#outcome', 'PROBLEM_CONFIRMED');
    await other.selectOption('#action', 'STOP_NEXT_MONTH');
    await other.selectOption('#rootCause', 'VERIFICATION');
    await other.getByRole('button', { name: '保存 / Save' }).click();
    const conflict = await other.getByTestId('case-conflict').textContent();
    // Another town's case by direct request
    const foreign = await page.request.get(
      `${h.services.approvalUrl}${DESK_ROUTES.case}?id=${finding(9).caseId}`,
    );
    await page.close();
    await other.close();

    // Assess
    expect(listed).toEqual(expect.arrayContaining([finding(1).caseId, visit(4).caseId]));
    expect(listed).not.toContain(finding(9).caseId);
    expect(maskedList).not.toContain(finding(1).idNumber);
    expect(fullId).toBe(finding(1).idNumber);
    expect(saved).toContain(finding(1).caseId);
    expect(await cases.get(MONTH, 'shiqi', finding(1).caseId)).toEqual(
      expect.objectContaining({
        status: 'CLOSED',
        outcome: 'CONFIRMED_IN_ORDER',
        closedBy: 'shiqi@towns.example.gov.cn (shiqi)',
      }),
    );
    expect(await cases.get(MONTH, 'shiqi', visit(4).caseId)).toEqual(
      expect.objectContaining({ status: 'CLOSED', outcome: 'MATCHES_FILE' }),
    );
    expect(conflict).toContain('Someone else saved this case first');
    expect((await cases.get(MONTH, 'shiqi', finding(3).caseId))?.outcome).toBe('DATA_ERROR_CORRECTED');
    expect(foreign.status()).toBe(404);
  });

  it('downloads the open cases as XLSX, takes the filled workbook back and shows its report', async () => {
    // Prepare
    const page = await browser.newPage({ acceptDownloads: true });
    await openDesk(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('cases-download').click(),
    ]);
    const downloaded = await readFile((await download.path()) ?? '');
    if (downloaded.subarray(0, 2).toString() !== 'PK')
      throw new Error(`not an XLSX: ${downloaded.subarray(0, 300).toString()}`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(downloaded as never);
    const sheet = workbook.worksheets[0];
    if (sheet === undefined) throw new Error('no sheet');
    const header = (sheet.getRow(1).values as string[]).map((v) =>
      String(v ?? '')
        .split('/')
        .at(-1)
        ?.trim(),
    );
    const col = (key: string) => header.indexOf(key);
    const rowOf = (caseId: string) => {
      for (let r = 2; r <= sheet.rowCount; r++)
        if (sheet.getCell(r, col('case_id')).value === caseId) return r;
      throw new Error(`no row for ${caseId}`);
    };
    const stopped = rowOf(finding(2).caseId);
    sheet.getCell(stopped, col('outcome')).value = 'STOPPED';
    sheet.getCell(stopped, col('overpaid')).value = '1180.00';
    const refused = rowOf(finding(3).caseId);
    sheet.getCell(refused, col('outcome')).value = 'CONFIRMED_IN_ORDER';
    sheet.getCell(refused, col('recovered')).value = '1,000';
    const filled = Buffer.from(await workbook.xlsx.writeBuffer());

    // Act
    await page.getByTestId('import-file').setInputFiles({
      name: 'cases.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: filled,
    });
    await page.getByTestId('import-submit').click();
    await page.getByTestId('case-import-report').waitFor();
    const applied = await page.getByTestId('import-applied').textContent();
    const refusedRow = page.locator(`[data-testid="import-row"][data-row="${refused}"]`);
    const refusedStatus = await refusedRow.getAttribute('data-status');
    const refusedReasons = await refusedRow.textContent();
    await page.close();

    // Assess
    expect(applied).toBe('1');
    expect(refusedStatus).toBe('REFUSED');
    expect(refusedReasons).toContain(`第 ${refused} 行`);
    expect(refusedReasons).toContain('追回 / recovered');
    expect(await cases.get(MONTH, 'shiqi', finding(2).caseId)).toEqual(
      expect.objectContaining({
        status: 'CLOSED',
        outcome: 'STOPPED',
        money: expect.objectContaining({ overpaidFen: 118000 }),
      }),
    );
    expect((await cases.get(MONTH, 'shiqi', finding(3).caseId))?.status).toBe('OPEN');
  });
});
