import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deskLinks } from '#local/cli/desk-mail.ts';
import { issueDeskLinksLocally, revokeDeskLinkLocally } from '#local/engine/desk-links.ts';
import { DESK_ROUTES } from '#schemas/desk-site-routes.ts';
import { launchChromium } from '../support/chromium.ts';
import { type IngestHarness, startIngestHarness } from '../support/local-harness.ts';
import { csv, ENGLISH_HEADER, rosterRow, TOWNS_CSV, validId } from '../support/roster-builder.ts';

const SCREENSHOTS = join('test-output', 'screenshots');
const MONTH = '2026-10';
const BEFORE = '2026-09';

let browser: Browser;
let h: IngestHarness;

beforeAll(async () => {
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  h = await startIngestHarness();
  await h.put('reference/towns.csv', TOWNS_CSV);
  await h.bridge.drain();
  // Last month shiqi paid people 1–4; dongqu uploaded this month (another town's data).
  await h.put(
    `incoming/${BEFORE}/shiqi/roster.csv`,
    csv(
      ENGLISH_HEADER,
      [1, 2, 3, 4].map((s) => rosterRow({}, s, BEFORE)),
    ),
  );
  await h.put(
    `incoming/${MONTH}/dongqu/roster.csv`,
    csv(
      ENGLISH_HEADER,
      [7, 8].map((s) => rosterRow({ town: 'dongqu' }, s)),
    ),
  );
  await h.bridge.drain();
});

afterEach(async () => {
  await h.stop();
});

/** The desk link e-mailed to a town office. */
function linkFor(town: string): string {
  const mail = h.services.ses
    .sent()
    .filter((m) => m.to.includes(`${town}@towns.example.gov.cn`))
    .flatMap((m) => deskLinks(m.text ?? ''));
  const link = mail.at(-1);
  if (link === undefined) throw new Error(`no desk link was mailed to ${town}`);
  return link;
}

async function openDesk(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await page.getByTestId('open-desk').click();
  await page.waitForURL(`**${DESK_ROUTES.home}`);
}

/** Uploads a file from the desk page, lets ingest run, and shows the page again. */
async function upload(page: Page, name: string, body: string): Promise<void> {
  await page
    .getByTestId('upload-file')
    .setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(body) });
  await page.getByTestId('upload-submit').click();
  await page.locator('[data-testid="upload-message"][data-state]').waitFor();
  expect(await page.getByTestId('upload-message').getAttribute('data-state')).toBe('uploaded');
  // The browser PUT the file into the bucket; the object event starts ingest as for any upload.
  await new Promise((resolve) => setTimeout(resolve, 300));
  await h.bridge.drain();
  await page.goto(new URL(DESK_ROUTES.home, page.url()).toString());
}

describe('the town desk in a real browser', () => {
  it('opens the mailed link, refuses a wrong total with its report and an e-mail, accepts the corrected roster and compares it with last month', async () => {
    // Prepare
    await issueDeskLinksLocally({ month: MONTH, by: 'bureau:test' });
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await openDesk(page, linkFor('shiqi'));

    // Act: a roster whose 合计 line does not add up is rejected …
    const rows = [1, 2, 3].map((s) => rosterRow({}, s));
    const wrongTotal = `${csv(ENGLISH_HEADER, rows)}合计,,,,9999.00\n`;
    await upload(page, '石岐10月.csv', wrongTotal);
    const rejected = await page.getByTestId('upload-row').first().getAttribute('data-status');
    await page.getByTestId('report-link').first().click();
    const rejectedReport = await page.getByTestId('validation-report').textContent();
    await page.goto(new URL(DESK_ROUTES.home, page.url()).toString());

    // … the corrected one (person 2's amount changed, person 4 left, person 5 new, one bad row) is accepted
    const corrected = csv(ENGLISH_HEADER, [
      rosterRow({}, 1),
      rosterRow({ amount: '1280.00' }, 2),
      rosterRow({}, 3),
      rosterRow({}, 5),
      rosterRow({ id_number: '123' }, 6),
    ]);
    await upload(page, '石岐10月-更正.csv', corrected);
    const statuses = await page
      .getByTestId('upload-row')
      .evaluateAll((rs) => rs.map((r) => r.getAttribute('data-status')));
    const counts = {
      added: await page.getByTestId('added-count').textContent(),
      removed: await page.getByTestId('removed-count').textContent(),
      changed: await page.getByTestId('changed-count').textContent(),
    };
    const comparison = (await page.getByTestId('comparison').textContent()) ?? '';
    const scrolls = await page.evaluate('document.documentElement.scrollWidth > window.innerWidth');
    await page.screenshot({ path: join(SCREENSHOTS, 'town-desk.png'), fullPage: true });
    await page.getByTestId('report-link').first().click();
    const acceptedReport = (await page.getByTestId('validation-report').textContent()) ?? '';
    await page.close();

    // Assess
    expect(rejected).toBe('REJECTED');
    expect(rejectedReport).toContain('TOTAL_MISMATCH');
    expect(rejectedReport).toContain('合计');
    expect(statuses).toEqual(['ACCEPTED', 'REJECTED']);
    expect(counts).toEqual({ added: '1', removed: '1', changed: '1' });
    expect(comparison).toContain('442000********');
    expect(comparison).not.toContain(validId('19600101', 5));
    expect(scrolls).toBe(false);
    expect(acceptedReport).toMatch(/第 \d+ 行/);
    expect(acceptedReport).toContain('row 5');
    const notices = h.services.ses.sent().filter((m) => m.subject.includes('roster rejected'));
    expect(notices.map((m) => m.to)).toEqual([['shiqi@towns.example.gov.cn']]);
    expect(notices[0]?.text).toContain('TOTAL_MISMATCH');
  });

  it("never shows another town's upload, by page or by direct request", async () => {
    // Prepare
    await issueDeskLinksLocally({ month: MONTH, towns: ['shiqi'], by: 'bureau:test' });
    const page = await browser.newPage();
    await openDesk(page, linkFor('shiqi'));
    const { DynamoDeskStore } = await import('#adapters/dynamo-desk-store.ts');
    const { documentClient } = await import('#adapters/clients.ts');
    const store = new DynamoDeskStore(documentClient(), process.env.STATE_TABLE_NAME ?? '');
    const [dongqu] = await store.batchUploads(MONTH, 'dongqu');

    // Act
    const listed = await page.getByTestId('upload-row').count();
    const direct = await page.request.get(
      `${h.services.approvalUrl}${DESK_ROUTES.report}?upload=${dongqu?.uploadId}`,
    );
    const body = await direct.text();
    await page.close();

    // Assess
    expect(dongqu?.status).toBe('ACCEPTED');
    expect(listed).toBe(0);
    expect(direct.status()).toBe(404);
    expect(body).not.toContain('dongqu');
  });

  it('refuses a POST without or with a wrong CSRF token, and a used, revoked or expired link', async () => {
    // Prepare
    await issueDeskLinksLocally({ month: MONTH, towns: ['shiqi', 'dongqu'], by: 'bureau:test' });
    const page = await browser.newPage();
    const shiqi = linkFor('shiqi');
    await openDesk(page, shiqi);
    const site = h.services.approvalUrl;
    const post = (form: Record<string, string>) =>
      page.request.post(`${site}${DESK_ROUTES.upload}`, {
        form,
        headers: { origin: site },
      });

    // Act
    const noCsrf = await post({ fileName: 'a.csv', size: '10' });
    const wrongCsrf = await post({ fileName: 'a.csv', size: '10', csrf: 'A'.repeat(43) });
    const csrf = await page.locator('input[name=csrf]').inputValue();
    const goodCsrf = await post({ fileName: 'a.csv', size: '10', csrf });
    const signed = (await goodCsrf.json()) as { url: string };
    const crossSite = await page.request.post(`${site}${DESK_ROUTES.upload}`, {
      form: { fileName: 'a.csv', size: '10', csrf },
      headers: { origin: 'https://evil.example' },
    });
    const wrongType = await post({ fileName: 'a.pdf', size: '10', csrf });
    const replay = await browser.newPage();
    await replay.goto(shiqi);
    const replayKind = await replay.getByTestId('message-kind').textContent();
    // Revoking dongqu's link refuses it; revoking shiqi's ends the open session.
    const dongquLink = linkFor('dongqu');
    const { DynamoDeskStore } = await import('#adapters/dynamo-desk-store.ts');
    const { documentClient } = await import('#adapters/clients.ts');
    const linkId = (url: string) => (new URL(url).searchParams.get('t') ?? '').split('.')[0] ?? '';
    await revokeDeskLinkLocally(linkId(dongquLink), 'bureau:test');
    await revokeDeskLinkLocally(linkId(shiqi), 'bureau:test');
    await replay.goto(dongquLink);
    const revokedKind = await replay.getByTestId('message-kind').textContent();
    await page.goto(`${site}${DESK_ROUTES.home}`);
    const endedKind = await page.getByTestId('message-kind').textContent();
    const [token = ''] = [new URL(dongquLink).searchParams.get('t') ?? ''];
    const [id] = token.split('.');
    await replay.goto(`${site}${DESK_ROUTES.open}?t=${id}.1000000000.${'A'.repeat(43)}`);
    const forgedKind = await replay.getByTestId('message-kind').textContent();
    const store = new DynamoDeskStore(documentClient(), process.env.STATE_TABLE_NAME ?? '');
    await page.close();
    await replay.close();

    // Assess
    expect(noCsrf.status()).toBe(403);
    expect(wrongCsrf.status()).toBe(403);
    expect(goodCsrf.status()).toBe(200);
    expect(signed.url).toContain(`/incoming/${MONTH}/shiqi/desk-`);
    expect(crossSite.status()).toBe(403);
    expect(wrongType.status()).toBe(400);
    expect(replayKind).toBe('ALREADY_USED');
    expect(revokedKind).toBe('REVOKED');
    expect(endedKind).toBe('REVOKED');
    expect(forgedKind).toBe('INVALID_LINK');
    expect((await store.getLink(id ?? ''))?.revokedBy).toBe('bureau:test');
  });
});
