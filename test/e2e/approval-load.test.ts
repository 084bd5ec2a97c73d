import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documentClient } from '#adapters/clients.ts';
import { DynamoApprovalStore } from '#adapters/dynamo-approval-store.ts';
import { DynamoAuditLedger } from '#adapters/dynamo-audit-ledger.ts';
import { linkKeys } from '#adapters/link-secret.ts';
import { signLinkToken } from '#domain/approval/link-token.ts';
import { decideApproval, messageKind, openApproval } from '#local/cli/approval-browser.ts';
import { MONTH_PAGE_PATH } from '#schemas/approval-site-routes.ts';
import { MONTH, seedMonth, sentLinks, untilWaiting } from '../support/gate-fixture.ts';
import { type IngestHarness, startIngestHarness } from '../support/local-harness.ts';

let h: IngestHarness;

const audit = () => new DynamoAuditLedger(documentClient(), process.env.AUDIT_TABLE_NAME ?? '').list(MONTH);
const approvals = () => new DynamoApprovalStore(documentClient(), process.env.STATE_TABLE_NAME ?? '');

async function currentRequest() {
  const store = approvals();
  const id = await store.currentRequestId(MONTH);
  return id ? store.getRequest(MONTH, id) : undefined;
}

beforeEach(async () => {
  h = await startIngestHarness();
  await seedMonth(h, { rows: 2, fourEyesThreshold: 1_000_000 });
  await untilWaiting(h, 'RequestApproval');
  // The stack and the month's ingest take long on a loaded machine; the requests are what is timed.
}, 180_000);

afterEach(async () => {
  await h.stop();
});

/** A request of the mix and what came back. */
interface Answer {
  readonly what: string;
  readonly status: number;
}

describe('approval site under load (issue 10 item 10; loopback, bounded)', () => {
  it('answers 200 concurrent requests — valid, forged and expired links, the month page, bad POSTs — with no 5xx, deciding nothing', async () => {
    // Prepare: the two approvers' links, a forged and an expired one
    const [li, zhao] = sentLinks(h);
    const token = new URL(li.link).searchParams.get('t') ?? '';
    const [linkId, expiresAt, signature] = token.split('.') as [string, string, string];
    const forged = `${linkId}.${expiresAt}.${signature.slice(0, -2)}${signature.at(-2) === 'A' ? 'B' : 'A'}${signature.at(-1)}`;
    const expired = signLinkToken(
      { linkId, expiresAt: Math.floor(Date.now() / 1000) - 60 },
      (await linkKeys()).current,
    );
    const base = new URL(li.link).origin;
    const monthPage = new URL(li.link);
    monthPage.pathname = MONTH_PAGE_PATH;
    const post = (body: string) =>
      fetch(`${base}/approval`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: base,
          'sec-fetch-site': 'same-origin',
        },
        body,
      });
    const kinds: [string, () => Promise<Response>][] = [
      ['GET valid link', () => fetch(li.link)],
      ['GET second link', () => fetch(zhao.link)],
      ['GET forged link', () => fetch(`${base}/approval?t=${forged}`)],
      ['GET expired link', () => fetch(`${base}/approval?t=${expired}`)],
      ['GET no token', () => fetch(`${base}/approval`)],
      ['GET garbage token', () => fetch(`${base}/approval?t=%00%ff..`)],
      ['GET month page', () => fetch(monthPage)],
      ['POST forged token', () => post(`token=${forged}&csrf=x&content=y&decision=APPROVE`)],
      ['POST expired token', () => post(`token=${expired}&csrf=x&content=y&decision=APPROVE`)],
      ['POST valid token, no session', () => post(`token=${token}&csrf=&content=&decision=APPROVE`)],
      ['POST empty body', () => post('')],
    ];

    // Act
    const answers: Answer[] = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const [what, send] = kinds[i % kinds.length] as [string, () => Promise<Response>];
        const response = await send();
        await response.arrayBuffer();
        return { what, status: response.status };
      }),
    );

    // Assess
    expect(answers).toHaveLength(200);
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    expect(answers.filter((a) => a.what === 'GET valid link').every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.what.includes('forged')).every((a) => a.status >= 400)).toBe(true);
    expect(answers.filter((a) => a.what.includes('expired')).every((a) => a.status >= 400)).toBe(true);
    expect((await currentRequest())?.status).toBe('PENDING');
    expect((await audit()).map((e) => e.action)).not.toContain('APPROVAL_DECIDED');
  }, 120_000);

  it('records exactly one decision for 50 concurrent POSTs of the same approve form; the others are told it is taken', async () => {
    // Prepare
    const [{ link }] = sentLinks(h);
    const page = await openApproval(link);

    // Act
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => decideApproval(link, page, 'APPROVE')),
    );

    // Assess
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    const recorded = answers.filter((a) => a.kind === 'RECORDED_APPROVED');
    expect(recorded).toHaveLength(1);
    const others = answers.filter((a) => a.kind !== 'RECORDED_APPROVED');
    expect(others).toHaveLength(49);
    for (const other of others) {
      expect(other.status).toBeGreaterThanOrEqual(400);
      expect(other.status).toBeLessThan(500);
      expect(messageKind(other.html)).toBeDefined();
    }
    const decided = (await audit()).filter((e) => e.action === 'APPROVAL_DECIDED');
    expect(decided).toHaveLength(1);
    await untilWaiting(h, 'AwaitBankReturns');
    expect((await currentRequest())?.status).not.toBe('PENDING');
  }, 120_000);
});
