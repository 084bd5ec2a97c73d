import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { documentClient } from '#adapters/clients.ts';
import { DynamoApprovalStore } from '#adapters/dynamo-approval-store.ts';
import { DynamoAuditLedger } from '#adapters/dynamo-audit-ledger.ts';
import { releaseFile } from '#schemas/bucket-layout.ts';
import { launchChromium } from '../support/chromium.ts';
import { MONTH, seedMonth, sentLinks, untilWaiting } from '../support/gate-fixture.ts';
import { type IngestHarness, startIngestHarness } from '../support/local-harness.ts';

const SCREENSHOTS = join('test-output', 'screenshots');

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
});

afterEach(async () => {
  await h.stop();
});

async function pendingStatus(): Promise<string | undefined> {
  const store = new DynamoApprovalStore(documentClient(), process.env.STATE_TABLE_NAME ?? '');
  const id = await store.currentRequestId(MONTH);
  return (await store.getRequest(MONTH, id ?? ''))?.status;
}

describe('approval page in a real browser', () => {
  it('opens the e-mailed link, shows the month, approves, and the month proceeds to release', async () => {
    // Prepare
    await seedMonth(h, { rows: 3, fourEyesThreshold: 1_000_000 });
    await untilWaiting(h, 'RequestApproval');
    const [{ link }] = sentLinks(h);
    const page = await browser.newPage();

    // Act
    await page.goto(link);
    const amount = (await page.getByTestId('release-amount').textContent())?.trim();
    const towns = (await page.getByTestId('town-totals').textContent())?.trim();
    await page.screenshot({ path: join(SCREENSHOTS, 'approval-page.png'), fullPage: true });
    await page.getByTestId('approve').click();
    await page.waitForLoadState();
    const kind = (await page.getByTestId('message-kind').textContent())?.trim();
    await untilWaiting(h, 'AwaitBankReturns');

    // Assess
    expect(amount).toContain('3,540.00');
    expect(towns).toContain('石岐街道');
    expect(kind).toBe('RECORDED_APPROVED');
    expect(await h.get(releaseFile.key({ month: MONTH }))).toBeDefined();
    const decided = (
      await new DynamoAuditLedger(documentClient(), process.env.AUDIT_TABLE_NAME ?? '').list(MONTH)
    ).find((e) => e.action === 'APPROVAL_DECIDED');
    expect(decided).toEqual(
      expect.objectContaining({
        actor: 'approver.li',
        details: expect.objectContaining({ result: 'APPROVED' }),
      }),
    );
    expect(String(decided?.details.userAgent)).toContain('Chrome');
    await page.close();
  });

  it('warns the second four-eyes approver who opens her link in the browser the first approved from', async () => {
    // Prepare: 3 × 1180.00 reaches the 3540.00 threshold
    await seedMonth(h, { rows: 3, fourEyesThreshold: 3540 });
    await untilWaiting(h, 'RequestApproval');
    const [li, zhao] = sentLinks(h);
    const page = await browser.newPage();
    await page.goto(li.link);
    const firstWarned = await page.getByTestId('same-device').count();
    await page.getByTestId('approve').click();
    await page.waitForLoadState();

    // Act
    await page.goto(zhao.link);
    const warning = (await page.getByTestId('same-device').textContent())?.trim();
    await page.screenshot({ path: join(SCREENSHOTS, 'approval-page-same-device.png'), fullPage: true });
    await page.getByTestId('approve').click();
    await page.waitForLoadState();
    const kind = (await page.getByTestId('message-kind').textContent())?.trim();
    await untilWaiting(h, 'AwaitBankReturns');

    // Assess
    expect(firstWarned).toBe(0);
    expect(warning).toContain('李审批 approved from this same device');
    expect(kind).toBe('RECORDED_APPROVED');
    const trail = await new DynamoAuditLedger(documentClient(), process.env.AUDIT_TABLE_NAME ?? '').list(
      MONTH,
    );
    expect(trail.filter((e) => e.action === 'APPROVAL_SAME_DEVICE').map((e) => e.actor)).toEqual([
      'approver.zhao',
    ]);
    await page.close();
  });

  it('refuses rejecting without a reason in the browser, then takes the reason', async () => {
    // Prepare
    await seedMonth(h, { rows: 2, fourEyesThreshold: 1_000_000 });
    await untilWaiting(h, 'RequestApproval');
    const [{ link }] = sentLinks(h);
    const page = await browser.newPage();
    await page.goto(link);

    // Act: a Reject without a reason is refused and leaves the link usable …
    await page.getByTestId('reject').click();
    await page.waitForLoadState();
    const refused = (await page.getByTestId('message-kind').textContent())?.trim();
    await page.goto(link);
    await page.getByTestId('reason').fill('名册与系统金额不一致，退回核实');
    await page.getByTestId('reject').click();
    await page.waitForLoadState();
    const kind = (await page.getByTestId('message-kind').textContent())?.trim();
    await h.bridge.drain();

    // Assess
    expect(refused).toBe('REASON_REQUIRED');
    expect(kind).toBe('RECORDED_REJECTED');
    expect(await pendingStatus()).toBe('REJECTED');
    await page.close();
  });

  it('ignores a cross-site form post made from another site while the approver is logged in', async () => {
    // Prepare: the approver has opened the page (has its session cookie) …
    await seedMonth(h, { rows: 2, fourEyesThreshold: 1_000_000 });
    await untilWaiting(h, 'RequestApproval');
    const [{ link }] = sentLinks(h);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(link);
    const token = await page.locator('input[name="token"]').getAttribute('value');
    const csrf = await page.locator('input[name="csrf"]').getAttribute('value');
    const content = await page.locator('input[name="content"]').getAttribute('value');
    // … and then visits another site (localhost is another site than 127.0.0.1) that posts to it.
    const target = new URL('/approval', link).toString();
    const evil: Server = createServer((_, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<form id="f" method="post" action="${target}">
        <input name="token" value="${token}"><input name="csrf" value="${csrf}">
        <input name="content" value="${content}"><input name="decision" value="APPROVE"></form>
        <script>document.getElementById('f').submit()</script>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const evilUrl = `http://localhost:${(evil.address() as AddressInfo).port}/`;

    // Act
    const attack = await context.newPage();
    await attack.goto(evilUrl);
    await attack.waitForURL(target);
    const kind = (await attack.getByTestId('message-kind').textContent())?.trim();

    // Assess
    expect(kind).toBe('FORBIDDEN');
    expect(await pendingStatus()).toBe('PENDING');
    await new Promise<void>((resolve) => evil.close(() => resolve()));
    await context.close();
  });
});
