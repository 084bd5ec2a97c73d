import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documentClient } from '#adapters/clients.ts';
import { DynamoApprovalStore } from '#adapters/dynamo-approval-store.ts';
import { DynamoAuditLedger } from '#adapters/dynamo-audit-ledger.ts';
import { linkKeys } from '#adapters/link-secret.ts';
import { signLinkToken, verifyLinkToken } from '#domain/approval/link-token.ts';
import { decideApproval, formValue, messageKind, openApproval } from '#local/cli/approval-browser.ts';
import { MONTH_PAGE_PATH } from '#schemas/approval-site-routes.ts';
import { findingsCsv, monthSummary, releaseFile, releaseManifest } from '#schemas/bucket-layout.ts';
import type { Approver, Contacts } from '#schemas/contacts.ts';
import { ENV } from '#schemas/tables.ts';
import { MONTH, monthRuns, newestLink, seedMonth, sentLinks, untilWaiting } from '../support/gate-fixture.ts';
import { type IngestHarness, startIngestHarness } from '../support/local-harness.ts';
import { csv, validId } from '../support/roster-builder.ts';
import { UNMASKED_ID_NUMBER } from '../support/unmasked-id-number.ts';

let h: IngestHarness;

const audit = () => new DynamoAuditLedger(documentClient(), process.env.AUDIT_TABLE_NAME ?? '').list(MONTH);
const approvals = () => new DynamoApprovalStore(documentClient(), process.env.STATE_TABLE_NAME ?? '');
const actions = async () => (await audit()).map((e) => e.action);
const text = async (key: string) => Buffer.from((await h.get(key)) ?? new Uint8Array()).toString('utf8');

async function currentRequest() {
  const store = approvals();
  const id = await store.currentRequestId(MONTH);
  return id ? store.getRequest(MONTH, id) : undefined;
}

beforeEach(async () => {
  h = await startIngestHarness();
});

afterEach(async () => {
  await h.stop();
});

describe('approval gate', () => {
  it('mails each approver a personal link that names no task token, and waits', async () => {
    // Prepare
    await seedMonth(h, { rows: 3, fourEyesThreshold: 1_000_000 });

    // Act
    await untilWaiting(h, 'RequestApproval');

    // Assess
    const links = sentLinks(h);
    expect(links.map((l) => l.to)).toEqual(['li.shenpi@mzj.example.gov.cn', 'zhao.fuhe@mzj.example.gov.cn']);
    const request = await currentRequest();
    expect(request).toEqual(expect.objectContaining({ status: 'PENDING', requiredApprovals: 1, rows: 3 }));
    for (const { link } of links) expect(link).not.toContain(request?.taskToken.slice(0, 20));
    const mail = h.services.ses.sent()[0];
    expect(mail?.text).toContain('3540.00');
    expect(mail?.text).not.toMatch(UNMASKED_ID_NUMBER);
    expect(await actions()).toContain('APPROVAL_REQUESTED');
  });

  it('changes nothing on a bare GET (a mail scanner fetching the link)', async () => {
    // Prepare
    await seedMonth(h, { rows: 2, fourEyesThreshold: 1_000_000 });
    const wait = await untilWaiting(h, 'RequestApproval');
    const [{ link }] = sentLinks(h);

    // Act
    const first = await fetch(link);
    const second = await fetch(link);

    // Assess
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(await first.text()).toContain('data-testid="release-amount"');
    expect((await currentRequest())?.status).toBe('PENDING');
    expect(await actions()).not.toContain('APPROVAL_DECIDED');
    expect(h.workflows.waitingAt(wait.executionArn)?.token).toBe(wait.token);
  });

  it("serves the month page with an approver's link, reading only what the approval site may", async () => {
    // Prepare
    await seedMonth(h, { rows: 2, fourEyesThreshold: 1_000_000 });
    await untilWaiting(h, 'RequestApproval');
    const [{ link }] = sentLinks(h);
    const report = new URL(link);
    report.pathname = MONTH_PAGE_PATH;

    // Act
    const response = await fetch(report);
    const html = await response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(html).toContain('data-testid="town-table"');
    expect(html).toContain('AWAITING_APPROVAL');
  });

  it('refuses a forged or tampered link and an expired one, changing nothing', async () => {
    // Prepare
    await seedMonth(h, { rows: 2, fourEyesThreshold: 1_000_000 });
    await untilWaiting(h, 'RequestApproval');
    const [{ link }] = sentLinks(h);
    const token = new URL(link).searchParams.get('t') ?? '';
    const [linkId, expiresAt, signature] = token.split('.') as [string, string, string];
    const flipped = `${signature.slice(0, -2)}${signature.at(-2) === 'A' ? 'B' : 'A'}${signature.at(-1)}`;
    const forged = `${linkId}.${expiresAt}.${flipped}`;
    const tampered = `${linkId}.${Number(expiresAt) + 86_400}.${signature}`;
    const secret = (await linkKeys()).current;
    const expired = signLinkToken({ linkId, expiresAt: Math.floor(Date.now() / 1000) - 60 }, secret);
    const page = await openApproval(link);
    const base = new URL(link).origin;

    // Act
    const views = await Promise.all(
      [forged, tampered, expired].map(async (t) => {
        const response = await fetch(`${base}/approval?t=${t}`);
        return { status: response.status, kind: messageKind(await response.text()) };
      }),
    );
    const posts = await Promise.all(
      [forged, tampered, expired].map(async (t) => {
        const response = await fetch(`${base}/approval`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            origin: base,
            cookie: page.cookie ?? '',
          },
          body: new URLSearchParams({
            token: t,
            csrf: formValue(page.html, 'csrf') ?? '',
            content: formValue(page.html, 'content') ?? '',
            decision: 'APPROVE',
          }).toString(),
        });
        return { status: response.status, kind: messageKind(await response.text()) };
      }),
    );

    // Assess
    expect(verifyLinkToken(expired, secret, Math.floor(Date.now() / 1000))).toEqual({
      ok: false,
      reason: 'EXPIRED',
    });
    expect(views).toEqual([
      { status: 403, kind: 'INVALID_LINK' },
      { status: 403, kind: 'INVALID_LINK' },
      { status: 410, kind: 'EXPIRED' },
    ]);
    expect(posts).toEqual(views);
    expect((await currentRequest())?.status).toBe('PENDING');
    expect(await actions()).not.toContain('APPROVAL_DECIDED');
  });

  it('refuses a cross-site POST, a POST from Origin: null and a form without its session cookie', async () => {
    // Prepare
    await seedMonth(h, { rows: 2, fourEyesThreshold: 1_000_000 });
    await untilWaiting(h, 'RequestApproval');
    const [{ link }] = sentLinks(h);
    const page = await openApproval(link);
    const url = new URL(link);
    const form = new URLSearchParams({
      token: formValue(page.html, 'token') ?? '',
      csrf: formValue(page.html, 'csrf') ?? '',
      content: formValue(page.html, 'content') ?? '',
      decision: 'APPROVE',
    }).toString();
    const post = (headers: Record<string, string>) =>
      fetch(`${url.origin}/approval`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: form,
      }).then(async (r) => ({ status: r.status, kind: messageKind(await r.text()) }));

    // Act
    const crossSite = await post({ origin: 'http://evil.example', cookie: page.cookie ?? '' });
    const fetchMetadata = await post({ 'sec-fetch-site': 'cross-site', cookie: page.cookie ?? '' });
    const noCookie = await post({ origin: url.origin });
    const otherSession = await post({ origin: url.origin, cookie: 'pg_session=AAAAAAAAAAAAAAAAAAAAAA' });
    const nullOrigin = await post({ origin: 'null', cookie: page.cookie ?? '' });
    const nullOriginSameSite = await post({
      origin: 'null',
      'sec-fetch-site': 'same-origin',
      cookie: page.cookie ?? '',
    });

    // Assess
    for (const result of [crossSite, fetchMetadata, noCookie, otherSession, nullOrigin, nullOriginSameSite]) {
      expect(result).toEqual({ status: 403, kind: 'FORBIDDEN' });
    }
    expect((await currentRequest())?.status).toBe('PENDING');
    // The refused attempts did not use the link up: its approver can still decide.
    const decided = await decideApproval(link, page, 'APPROVE');
    expect(decided.kind).toBe('RECORDED_APPROVED');
    await untilWaiting(h, 'AwaitBankReturns');
  });

  it('takes a decision once: a reused link changes nothing', async () => {
    // Prepare
    await seedMonth(h, { rows: 2, fourEyesThreshold: 1_000_000 });
    await untilWaiting(h, 'RequestApproval');
    const [{ link }] = sentLinks(h);
    const page = await openApproval(link);
    const first = await decideApproval(link, page, 'APPROVE');

    // Act
    const again = await decideApproval(link, page, 'APPROVE');
    const reopened = await openApproval(link);

    // Assess
    await untilWaiting(h, 'AwaitBankReturns');
    expect(first.kind).toBe('RECORDED_APPROVED');
    expect(again).toEqual(expect.objectContaining({ status: 409, kind: 'ALREADY_USED' }));
    expect(messageKind(reopened.html)).toBe('ALREADY_USED');
    const decided = (await audit()).filter((e) => e.action === 'APPROVAL_DECIDED');
    expect(decided).toHaveLength(1);
    expect(decided[0]).toEqual(
      expect.objectContaining({
        actor: 'approver.li',
        contentSha256: (await currentRequest())?.contentSha256,
        details: expect.objectContaining({ decision: 'APPROVE', sourceIp: '127.0.0.1' }),
      }),
    );
  });

  it('needs two different approvers at or above the four-eyes threshold', async () => {
    // Prepare: 3 × 1180.00 = 3540.00 reaches a 3540.00 threshold
    await seedMonth(h, { rows: 3, fourEyesThreshold: 3540 });
    const wait = await untilWaiting(h, 'RequestApproval');
    const [li, zhao] = sentLinks(h);

    // Act
    const liPage = await openApproval(li.link);
    const first = await decideApproval(li.link, liPage, 'APPROVE');
    const stillWaiting = h.workflows.waitingAt(wait.executionArn)?.token === wait.token;
    const sameAgain = await decideApproval(li.link, liPage, 'APPROVE');
    const second = await decideApproval(zhao.link, await openApproval(zhao.link), 'APPROVE');
    await untilWaiting(h, 'AwaitBankReturns');

    // Assess
    expect(first.kind).toBe('WAITING_SECOND_APPROVER');
    expect(stillWaiting).toBe(true);
    expect(sameAgain.kind).toBe('ALREADY_USED');
    expect(second.kind).toBe('RECORDED_APPROVED');
    const manifest = JSON.parse(await text(releaseManifest.key({ month: MONTH })));
    expect(manifest.approvedBy.map((a: { id: string }) => a.id)).toEqual(['approver.li', 'approver.zhao']);
    expect(manifest.rows).toBe(3);
    expect(manifest.totalAmount).toBe('3540.00');
  });

  it('holds the month on a rejection, which needs a reason, and tells the towns why', async () => {
    // Prepare
    await seedMonth(h, { rows: 2, fourEyesThreshold: 1_000 });
    await untilWaiting(h, 'RequestApproval');
    const [li, zhao] = sentLinks(h);
    await decideApproval(li.link, await openApproval(li.link), 'APPROVE');
    const page = await openApproval(zhao.link);

    // Act
    const noReason = await decideApproval(zhao.link, page, 'REJECT', '   ');
    const rejected = await decideApproval(zhao.link, page, 'REJECT', '石岐街道名册金额待核实');
    const run = monthRuns(h).at(-1);
    await run?.result;

    // Assess
    expect(noReason).toEqual(expect.objectContaining({ status: 400, kind: 'REASON_REQUIRED' }));
    expect(rejected.kind).toBe('RECORDED_REJECTED');
    expect(await h.get(releaseFile.key({ month: MONTH }))).toBeUndefined();
    const summary = JSON.parse(await text(monthSummary.key({ month: MONTH })));
    expect(summary.approval).toEqual(
      expect.objectContaining({
        status: 'HELD',
        rejection: expect.objectContaining({ approverId: 'approver.zhao' }),
      }),
    );
    // One notice per office, each with the reason.
    const notices = h.services.ses.sent().filter((m) => m.subject.includes('HELD'));
    expect(notices.map((m) => m.to)).toEqual(
      expect.arrayContaining([['shiqi@towns.example.gov.cn'], ['ops@mzj.example.gov.cn']]),
    );
    for (const notice of notices) expect(notice.text).toContain('石岐街道名册金额待核实');
    expect(await actions()).toEqual(expect.arrayContaining(['APPROVAL_DECIDED', 'MONTH_HELD']));
  });

  it('voids an approval when newer death records change the release, and asks again', async () => {
    // Prepare
    await seedMonth(h, { rows: 3, fourEyesThreshold: 1_000_000 });
    await untilWaiting(h, 'RequestApproval');
    const [first] = sentLinks(h);
    const before = await currentRequest();
    await h.put(
      'partners/deaths/late-registration.csv',
      csv(['id_number', 'name', 'date_of_death'], [[validId('19600101', 2), '张2', '2026-09-20']]),
    );
    await h.bridge.drain();

    // Act
    await decideApproval(first.link, await openApproval(first.link), 'APPROVE');
    await untilWaiting(h, 'RequestApproval');
    const again = { link: newestLink(h) };
    await decideApproval(again.link, await openApproval(again.link), 'APPROVE');
    await untilWaiting(h, 'AwaitBankReturns');

    // Assess
    const after = await currentRequest();
    expect(after?.requestId).not.toBe(before?.requestId);
    expect(after?.contentSha256).not.toBe(before?.contentSha256);
    expect((await approvals().getRequest(MONTH, before?.requestId ?? ''))?.status).toBe('VOID');
    const release = await text(releaseFile.key({ month: MONTH }));
    expect(release).not.toContain(validId('19600101', 2));
    expect(release.trim().split('\r\n')).toHaveLength(3);
    expect(await text(findingsCsv.key({ month: MONTH }))).toMatch(/,DECEASED,BLOCK,/);
    expect(await actions()).toEqual(
      expect.arrayContaining(['APPROVAL_VOID', 'DECEASED_RECHECKED', 'MONTH_RELEASED']),
    );
  });

  it('supersedes the open request when a re-upload starts a new run; the old link says so', async () => {
    // Prepare
    await seedMonth(h, { rows: 2, fourEyesThreshold: 1_000_000 });
    await untilWaiting(h, 'RequestApproval');
    const [old] = sentLinks(h);
    const firstRun = monthRuns(h)[0];

    // Act: a corrected roster with one row more
    const { rosterRow, ENGLISH_HEADER } = await import('../support/roster-builder.ts');
    await h.put(
      `incoming/${MONTH}/shiqi/roster-v2.csv`,
      csv(
        ENGLISH_HEADER,
        [1, 2, 3].map((s) => rosterRow({}, s)),
      ),
    );
    await untilWaiting(h, 'RequestApproval');
    const oldPage = await openApproval(old.link);

    // Assess
    await expect(firstRun?.result).resolves.toBeDefined();
    expect(monthRuns(h)).toHaveLength(2);
    expect(messageKind(oldPage.html)).toBe('SUPERSEDED');
    expect(await actions()).toContain('APPROVAL_SUPERSEDED');
  });

  it('never writes a second, different payment file for a month', async () => {
    // Prepare: a first run is approved and released
    await seedMonth(h, { rows: 2, fourEyesThreshold: 1_000_000 });
    await untilWaiting(h, 'RequestApproval');
    const [first] = sentLinks(h);
    await decideApproval(first.link, await openApproval(first.link), 'APPROVE');
    await untilWaiting(h, 'AwaitBankReturns');
    const released = await text(releaseFile.key({ month: MONTH }));

    // Act: the same content released again, then other content
    h.workflows.start('month-run', { month: MONTH, bucket: h.stack.bucket, trigger: 'operator' });
    await untilWaiting(h, 'RequestApproval');
    const again = { link: newestLink(h) };
    await decideApproval(again.link, await openApproval(again.link), 'APPROVE');
    await untilWaiting(h, 'AwaitBankReturns');
    const { rosterRow, ENGLISH_HEADER } = await import('../support/roster-builder.ts');
    await h.put(`incoming/${MONTH}/shiqi/roster-v2.csv`, csv(ENGLISH_HEADER, [rosterRow({}, 1)]));
    await untilWaiting(h, 'RequestApproval');
    const third = { link: newestLink(h) };
    await decideApproval(third.link, await openApproval(third.link), 'APPROVE');
    const conflict = monthRuns(h).at(-1)?.result;

    // Assess
    await expect(conflict).rejects.toThrow();
    expect(await text(releaseFile.key({ month: MONTH }))).toBe(released);
    const trail = await actions();
    expect(trail.filter((a) => a === 'MONTH_RELEASED')).toHaveLength(1);
    expect(trail).toContain('RELEASE_REPEATED');
    const failure = (await audit()).find((e) => e.action === 'MONTH_RUN_FAILED');
    expect(String(failure?.details.reason)).toContain('already released');
  });
});

describe('approvers at load', () => {
  it('refuses contacts giving two approver ids one e-mail: the run fails, saying why, and nobody is asked', async () => {
    // Prepare
    const contacts = JSON.parse(process.env[ENV.contacts] ?? '{}') as Contacts;
    const [li, zhao] = contacts.approvers as [Approver, Approver];
    process.env[ENV.contacts] = JSON.stringify({
      ...contacts,
      approvers: [li, { ...zhao, email: li.email }],
    });

    // Act
    await seedMonth(h, { rows: 2, fourEyesThreshold: 1_000_000 });
    const run = monthRuns(h).at(-1);
    const failed = await run?.result.then(
      () => undefined,
      (error: Error) => error,
    );

    // Assess
    expect(failed?.message).toContain('The month could not be checked; nothing is released');
    const failure = (await audit()).find((e) => e.action === 'MONTH_RUN_FAILED');
    expect(String(failure?.details.reason)).toMatch(
      /^ContactsConfigError: PAYGUARD_CONTACTS is not valid:\n.*approvers "approver\.li" and "approver\.zhao" share the e-mail li\.shenpi@mzj\.example\.gov\.cn/s,
    );
    expect(h.services.ses.sent()).toEqual([]);
    expect(await actions()).not.toContain('APPROVAL_REQUESTED');
  });
});

describe('release on a forged decision', () => {
  /** Resumes the waiting RequestApproval step as anyone allowed `states:SendTaskSuccess` could. */
  async function forgeDecision(taskToken: string, outcome: Record<string, unknown>) {
    const sfn = new SFNClient({});
    try {
      await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(outcome) }));
    } finally {
      sfn.destroy();
    }
  }

  const signature = (approverId: string, approverName: string) => ({
    approverId,
    approverName,
    at: new Date().toISOString(),
    sourceIp: '203.0.113.7',
  });

  async function refusedRun() {
    const failed = await monthRuns(h)
      .at(-1)
      ?.result.then(
        () => undefined,
        (error: Error) => error,
      );
    const trail = await audit();
    return {
      failed: failed?.message,
      refused: trail.find((e) => e.action === 'RELEASE_REFUSED'),
      failure: trail.find((e) => e.action === 'MONTH_RUN_FAILED'),
      actions: trail.map((e) => e.action),
    };
  }

  it('releases nothing when nobody approved: the stored request is still PENDING', async () => {
    // Prepare
    await seedMonth(h, { rows: 2, fourEyesThreshold: 1_000_000 });
    const wait = await untilWaiting(h, 'RequestApproval');
    const request = await currentRequest();

    // Act
    await forgeDecision(wait.token, {
      decision: 'APPROVED',
      requestId: request?.requestId,
      contentSha256: request?.contentSha256,
      approvals: [signature('approver.li', '李审批')],
    });
    const run = await refusedRun();

    // Assess
    expect(run.failed).toContain('nothing is released');
    expect(await h.get(releaseFile.key({ month: MONTH }))).toBeUndefined();
    expect(await h.get(releaseManifest.key({ month: MONTH }))).toBeUndefined();
    expect(run.refused?.details).toEqual(
      expect.objectContaining({
        claimed: 'APPROVED',
        stored: 'PENDING',
        problems: [
          'the stored request is PENDING, not APPROVED',
          '0 distinct approver(s) approved; 1 required',
        ],
      }),
    );
    expect(String(run.failure?.details.reason)).toMatch(
      /^UnapprovedReleaseError: the stored approval does not prove/,
    );
    expect(run.actions).not.toContain('MONTH_RELEASED');
    expect((await currentRequest())?.status).toBe('PENDING');
  });

  it('releases nothing when one of the two four-eyes approvals is forged', async () => {
    // Prepare: 3 × 1180.00 reaches the 3540.00 threshold; approver.li approves for real
    await seedMonth(h, { rows: 3, fourEyesThreshold: 3540 });
    const wait = await untilWaiting(h, 'RequestApproval');
    const [li] = sentLinks(h);
    const first = await decideApproval(li.link, await openApproval(li.link), 'APPROVE');
    const request = await currentRequest();

    // Act
    await forgeDecision(wait.token, {
      decision: 'APPROVED',
      requestId: request?.requestId,
      contentSha256: request?.contentSha256,
      approvals: [signature('approver.li', '李审批'), signature('approver.zhao', '赵复核')],
    });
    const run = await refusedRun();

    // Assess
    expect(first.kind).toBe('WAITING_SECOND_APPROVER');
    expect(run.failed).toContain('nothing is released');
    expect(await h.get(releaseFile.key({ month: MONTH }))).toBeUndefined();
    expect(run.refused?.details.problems).toEqual([
      'the stored request is PENDING, not APPROVED',
      '1 distinct approver(s) approved; 2 required',
    ]);
    expect(run.actions).not.toContain('MONTH_RELEASED');
  });

  it('releases nothing for a request that was never stored', async () => {
    // Prepare
    await seedMonth(h, { rows: 2, fourEyesThreshold: 1_000_000 });
    const wait = await untilWaiting(h, 'RequestApproval');
    const request = await currentRequest();

    // Act
    await forgeDecision(wait.token, {
      decision: 'APPROVED',
      requestId: 'forged-request',
      contentSha256: request?.contentSha256,
      approvals: [signature('approver.li', '李审批'), signature('approver.zhao', '赵复核')],
    });
    const run = await refusedRun();

    // Assess
    expect(await h.get(releaseFile.key({ month: MONTH }))).toBeUndefined();
    expect(run.refused?.details.problems).toEqual(['no approval request forged-request is stored']);
    expect(run.actions).not.toContain('MONTH_RELEASED');
  });
});

describe('four eyes from one device', () => {
  const OFFICE_BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0.0.0';

  it('records a second approval from the first approver’s IP and browser, warns her first, flags it in the audit trail and the report', async () => {
    // Prepare: 3 × 1180.00 reaches the 3540.00 threshold; both approve from 127.0.0.1 with one browser
    await seedMonth(h, { rows: 3, fourEyesThreshold: 3540 });
    await untilWaiting(h, 'RequestApproval');
    const [li, zhao] = sentLinks(h);
    const as = { userAgent: OFFICE_BROWSER };
    await decideApproval(li.link, await openApproval(li.link, as), 'APPROVE', '', as);

    // Act
    const zhaoPage = await openApproval(zhao.link, as);
    const second = await decideApproval(zhao.link, zhaoPage, 'APPROVE', '', as);
    await untilWaiting(h, 'AwaitBankReturns');
    const report = new URL(li.link);
    report.pathname = MONTH_PAGE_PATH;
    const reportHtml = await (await fetch(report)).text();

    // Assess: shown before she decided, not refused
    expect(zhaoPage.html).toContain('data-testid="same-device"');
    expect(zhaoPage.html).toContain('李审批 approved from this same device');
    expect(second.kind).toBe('RECORDED_APPROVED');
    const flagged = (await audit()).filter((e) => e.action === 'APPROVAL_SAME_DEVICE');
    expect(flagged).toEqual([
      expect.objectContaining({
        actor: 'approver.zhao',
        details: expect.objectContaining({
          sameDeviceAs: ['approver.li'],
          sourceIp: '127.0.0.1',
          userAgent: OFFICE_BROWSER,
        }),
      }),
    ]);
    const decided = (await audit()).filter((e) => e.action === 'APPROVAL_DECIDED').map((e) => e.details);
    expect(decided.map((d) => d.sameDeviceAs)).toEqual([undefined, ['approver.li']]);
    const manifest = JSON.parse(await text(releaseManifest.key({ month: MONTH })));
    expect(manifest.approvedBy).toEqual([
      expect.not.objectContaining({ sameDeviceAs: expect.anything() }),
      expect.objectContaining({ id: 'approver.zhao', sameDeviceAs: ['approver.li'] }),
    ]);
    const summary = JSON.parse(await text(monthSummary.key({ month: MONTH })));
    expect(summary.approval.approvals[1]).toEqual(
      expect.objectContaining({
        approverId: 'approver.zhao',
        userAgent: OFFICE_BROWSER,
        sameDeviceAs: ['approver.li'],
      }),
    );
    expect(reportHtml).toContain('与 李审批 同一设备 / same device as 李审批');
  });

  it('flags nothing when the second approver uses another browser', async () => {
    // Prepare
    await seedMonth(h, { rows: 3, fourEyesThreshold: 3540 });
    await untilWaiting(h, 'RequestApproval');
    const [li, zhao] = sentLinks(h);
    await decideApproval(li.link, await openApproval(li.link, { userAgent: OFFICE_BROWSER }), 'APPROVE', '', {
      userAgent: OFFICE_BROWSER,
    });

    // Act
    const other = { userAgent: `${OFFICE_BROWSER} Edg/131.0.0.0` };
    const zhaoPage = await openApproval(zhao.link, other);
    await decideApproval(zhao.link, zhaoPage, 'APPROVE', '', other);
    await untilWaiting(h, 'AwaitBankReturns');

    // Assess
    expect(zhaoPage.html).not.toContain('data-testid="same-device"');
    expect(await actions()).not.toContain('APPROVAL_SAME_DEVICE');
  });
});
