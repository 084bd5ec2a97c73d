import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LINK_KEYS_REFRESH_MS, LINK_KEYS_TTL_MS, linkKeys } from '#adapters/link-secret.ts';
import { signLinkToken, verifyLinkToken } from '#domain/approval/link-token.ts';
import { decideApproval, messageKind, openApproval } from '#local/cli/approval-browser.ts';
import { releaseFile } from '#schemas/bucket-layout.ts';
import { MONTH, newestLink, seedMonth, sentLinks, untilWaiting } from '../support/gate-fixture.ts';
import { type IngestHarness, startIngestHarness } from '../support/local-harness.ts';
import { csv, ENGLISH_HEADER, rosterRow } from '../support/roster-builder.ts';

let h: IngestHarness;
let sm: SecretsManagerClient;

beforeEach(async () => {
  h = await startIngestHarness();
  sm = new SecretsManagerClient({});
});

afterEach(async () => {
  vi.useRealTimers();
  sm.destroy();
  await h.stop();
});

const secretId = () => h.services.secrets.secretArn;

/** Rotates the link secret as its schedule does: Secrets Manager runs the rotation function's four steps. */
async function rotate(): Promise<string> {
  const { VersionId } = await sm.send(new RotateSecretCommand({ SecretId: secretId() }));
  return VersionId ?? '';
}

async function key(stage: 'AWSCURRENT' | 'AWSPREVIOUS'): Promise<string> {
  const { SecretString } = await sm.send(
    new GetSecretValueCommand({ SecretId: secretId(), VersionStage: stage }),
  );
  return SecretString ?? '';
}

/** Moves the clock on (Date only: servers and timers keep running) past the functions' key cache. */
function afterKeyCacheExpiry(): void {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + LINK_KEYS_TTL_MS + 1_000 });
}

const tokenOf = (link: string) => new URL(link).searchParams.get('t') ?? '';
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('link secret rotation', () => {
  it('moves the new key to AWSCURRENT and the old one to AWSPREVIOUS, leaving no AWSPENDING', async () => {
    // Prepare
    const before = await key('AWSCURRENT');

    // Act
    const version = await rotate();
    const { VersionIdsToStages, RotationEnabled } = await sm.send(
      new DescribeSecretCommand({ SecretId: secretId() }),
    );

    // Assess
    expect(RotationEnabled).toBe(true);
    expect(VersionIdsToStages?.[version]).toEqual(['AWSCURRENT']);
    expect(
      Object.values(VersionIdsToStages ?? {})
        .flat()
        .sort(),
    ).toEqual(['AWSCURRENT', 'AWSPREVIOUS']);
    expect(await key('AWSPREVIOUS')).toBe(before);
    expect(await key('AWSCURRENT')).toMatch(/^[A-Za-z0-9]{64}$/);
  });

  it('keeps the keys for 5 minutes, reads them again after, and at most every 30 s when asked', async () => {
    // Prepare
    const first = await linkKeys();
    await rotate();

    // Act
    const cached = await linkKeys();
    const askedTooSoon = await linkKeys({ fresh: true });
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + LINK_KEYS_REFRESH_MS + 1_000 });
    const askedLater = await linkKeys({ fresh: true });
    vi.useRealTimers();
    afterKeyCacheExpiry();
    const expired = await linkKeys();

    // Assess
    expect(cached).toEqual(first);
    expect(askedTooSoon).toEqual(first);
    expect(askedLater).toEqual({ current: await key('AWSCURRENT'), previous: first.current });
    expect(expired).toEqual(askedLater);
  });

  it('keeps links and forms issued before a rotation working until they expire', async () => {
    // Prepare: four eyes; zhao opens her form before the rotation, li opens nothing yet
    await seedMonth(h, { rows: 3, fourEyesThreshold: 3540 });
    await untilWaiting(h, 'RequestApproval');
    const [li, zhao] = sentLinks(h);
    const oldKey = await key('AWSCURRENT');
    const zhaoForm = await openApproval(zhao.link);

    // Act
    await rotate();
    afterKeyCacheExpiry();
    const liPage = await openApproval(li.link);
    const liDecided = await decideApproval(li.link, liPage, 'APPROVE');
    const zhaoDecided = await decideApproval(zhao.link, zhaoForm, 'APPROVE');
    await untilWaiting(h, 'AwaitBankReturns');

    // Assess
    expect(verifyLinkToken(tokenOf(li.link), oldKey, nowSeconds()).ok).toBe(true);
    expect(await key('AWSPREVIOUS')).toBe(oldKey);
    expect(liPage.status).toBe(200);
    expect(liDecided.kind).toBe('WAITING_SECOND_APPROVER');
    expect(zhaoDecided.kind).toBe('RECORDED_APPROVED');
    expect(await h.get(releaseFile.key({ month: MONTH }))).toBeDefined();
  });

  it('reads the keys again when a link signed after a rotation reaches a site whose keys predate it', async () => {
    // Prepare: the site has read the keys; another function signs a link with the key of a rotation since
    await seedMonth(h, { rows: 2, fourEyesThreshold: 1_000_000 });
    await untilWaiting(h, 'RequestApproval');
    const [li] = sentLinks(h);
    expect((await openApproval(li.link)).status).toBe(200);
    await rotate();
    const [linkId = '', expiresAt = ''] = tokenOf(li.link).split('.');
    const signedAfter = new URL(li.link);
    signedAfter.searchParams.set(
      't',
      signLinkToken({ linkId, expiresAt: Number(expiresAt) }, await key('AWSCURRENT')),
    );

    // Act
    const tooSoon = await openApproval(signedAfter.toString());
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + LINK_KEYS_REFRESH_MS + 1_000 });
    const later = await openApproval(signedAfter.toString());

    // Assess: within 30 s of reading them the site keeps its keys (a forged link cannot make it read on every request)
    expect(messageKind(tooSoon.html)).toBe('INVALID_LINK');
    expect(later.status).toBe(200);
    expect(later.html).toContain('data-testid="release-amount"');
  });

  it('signs new links with the new key; a link two rotations old no longer opens', async () => {
    // Prepare
    await seedMonth(h, { rows: 2, fourEyesThreshold: 1_000_000 });
    await untilWaiting(h, 'RequestApproval');
    const [old] = sentLinks(h);

    // Act: two rotations, then a corrected roster asks the approvers again
    await rotate();
    await rotate();
    afterKeyCacheExpiry();
    const oldPage = await openApproval(old.link);
    await h.put(
      `incoming/${MONTH}/shiqi/roster-v2.csv`,
      csv(
        ENGLISH_HEADER,
        [1, 2, 3].map((s) => rosterRow({}, s)),
      ),
    );
    await untilWaiting(h, 'RequestApproval');
    const fresh = newestLink(h);
    const freshPage = await openApproval(fresh);

    // Assess
    const [current, previous] = [await key('AWSCURRENT'), await key('AWSPREVIOUS')];
    expect(verifyLinkToken(tokenOf(fresh), current, nowSeconds()).ok).toBe(true);
    expect(verifyLinkToken(tokenOf(fresh), previous, nowSeconds())).toEqual({
      ok: false,
      reason: 'BAD_SIGNATURE',
    });
    expect(freshPage.status).toBe(200);
    expect(oldPage.status).toBe(403);
    expect(messageKind(oldPage.html)).toBe('INVALID_LINK');
  });
});
