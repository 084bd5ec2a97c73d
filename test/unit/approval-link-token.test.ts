import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkCsrf,
  checkCsrfWith,
  csrfToken,
  isSessionNonce,
  newLinkId,
  newSessionNonce,
  signLinkToken,
  verifyLinkToken,
  verifyLinkTokenWith,
} from '#domain/approval/link-token.ts';

const SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
const NOW = 1_790_000_000;
const LINK_ID = 'AAECAwQFBgcICQoLDA0ODw';

const base64url22 = fc
  .uint8Array({ minLength: 16, maxLength: 16 })
  .map((b) => Buffer.from(b).toString('base64url'));
const claimsArb = fc.record({ linkId: base64url22, expiresAt: fc.integer({ min: 1, max: 999_999_999_999 }) });

describe('newLinkId and newSessionNonce', () => {
  it('are 128 random bits in base64url, 22 characters, different each time', () => {
    // Act
    const ids = Array.from({ length: 50 }, () => newLinkId());
    const nonces = Array.from({ length: 50 }, () => newSessionNonce());

    // Assess
    for (const value of [...ids, ...nonces]) {
      expect(value).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(Buffer.from(value, 'base64url')).toHaveLength(16);
    }
    expect(new Set([...ids, ...nonces]).size).toBe(100);
    expect(isSessionNonce(nonces[0])).toBe(true);
    expect(isSessionNonce('short')).toBe(false);
    expect(isSessionNonce(undefined)).toBe(false);
  });
});

describe('signLinkToken', () => {
  it('writes linkId.expiresAt.base64url(HMAC-SHA256(secret, "link|linkId|expiresAt"))', () => {
    // Arrange
    const mac = createHmac('sha256', SECRET)
      .update(`link|${LINK_ID}|${NOW + 3600}`)
      .digest('base64url');

    // Act
    const token = signLinkToken({ linkId: LINK_ID, expiresAt: NOW + 3600 }, SECRET);

    // Assess
    expect(token).toBe(`${LINK_ID}.${NOW + 3600}.${mac}`);
  });

  it.each([
    [{ linkId: 'short', expiresAt: NOW }, 'linkId'],
    [{ linkId: `${LINK_ID.slice(0, 21)}.`, expiresAt: NOW }, 'linkId'],
    [{ linkId: LINK_ID, expiresAt: 0 }, 'expiresAt'],
    [{ linkId: LINK_ID, expiresAt: -5 }, 'expiresAt'],
    [{ linkId: LINK_ID, expiresAt: 1.5 }, 'expiresAt'],
    [{ linkId: LINK_ID, expiresAt: 1e13 }, 'expiresAt'],
  ])('refuses claims it could not verify: %j', (claims, what) => {
    // Act & Assess
    expect(() => signLinkToken(claims, SECRET)).toThrow(what);
  });

  it('refuses an empty secret', () => {
    // Act & Assess
    expect(() => signLinkToken({ linkId: LINK_ID, expiresAt: NOW }, '')).toThrow(RangeError);
    expect(() => verifyLinkToken('x', '', NOW)).toThrow(RangeError);
  });
});

describe('verifyLinkToken', () => {
  it('round-trips any claims before their expiry', () => {
    fc.assert(
      fc.property(claimsArb, (claims) => {
        // Act
        const result = verifyLinkToken(signLinkToken(claims, SECRET), SECRET, claims.expiresAt - 1);

        // Assess
        expect(result).toEqual({ ok: true, claims });
      }),
    );
  });

  it('refuses a token with any single character changed', () => {
    const changed = fc
      .record({
        claims: claimsArb,
        position: fc.nat(),
        replacement: fc.oneof(
          fc.constantFrom(...'ABCabc0129-_.=+/ '),
          fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
        ),
      })
      .map(({ claims, position, replacement }) => {
        const token = signLinkToken(claims, SECRET);
        const at = position % token.length;
        return { claims, token, altered: token.slice(0, at) + replacement + token.slice(at + 1) };
      })
      .filter(({ token, altered }) => token !== altered);

    fc.assert(
      fc.property(changed, ({ claims, altered }) => {
        // Act
        const result = verifyLinkToken(altered, SECRET, claims.expiresAt - 1);

        // Assess
        expect(result.ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses the last signature character changed to one with the same decoded bits', () => {
    // Arrange: the last of 43 base64url characters carries 4 bits; the 2 unused bits are ignored
    // by a decoder, so comparing decoded bytes would accept this token.
    const token = signLinkToken({ linkId: LINK_ID, expiresAt: NOW + 60 }, SECRET);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(token.slice(-1));
    const sibling = alphabet.charAt(last ^ 1);
    const altered = token.slice(0, -1) + sibling;

    // Act
    const result = verifyLinkToken(altered, SECRET, NOW);

    // Assess
    expect(Buffer.from(altered.split('.')[2] ?? '', 'base64url')).toEqual(
      Buffer.from(token.split('.')[2] ?? '', 'base64url'),
    );
    expect(result).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('reports BAD_SIGNATURE for a token signed with another secret', () => {
    // Arrange
    const token = signLinkToken({ linkId: LINK_ID, expiresAt: NOW + 60 }, 'another-secret');

    // Act
    const result = verifyLinkToken(token, SECRET, NOW);

    // Assess
    expect(result).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('is valid until the second before expiresAt and expired from expiresAt on', () => {
    // Arrange
    const token = signLinkToken({ linkId: LINK_ID, expiresAt: NOW }, SECRET);

    // Act
    const before = verifyLinkToken(token, SECRET, NOW - 1);
    const lastMoment = verifyLinkToken(token, SECRET, NOW - 0.001);
    const at = verifyLinkToken(token, SECRET, NOW);
    const after = verifyLinkToken(token, SECRET, NOW + 1);

    // Assess
    expect(before).toEqual({ ok: true, claims: { linkId: LINK_ID, expiresAt: NOW } });
    expect(lastMoment.ok).toBe(true);
    expect(at).toEqual({ ok: false, reason: 'EXPIRED' });
    expect(after).toEqual({ ok: false, reason: 'EXPIRED' });
  });

  it('checks the signature before the expiry: an expired forged token is BAD_SIGNATURE', () => {
    // Arrange
    const forged = signLinkToken({ linkId: LINK_ID, expiresAt: NOW }, 'another-secret');

    // Act
    const result = verifyLinkToken(forged, SECRET, NOW + 10);

    // Assess
    expect(result).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it.each([NOW + 86_400 * 365, NOW + 1, NOW - 1])(
    'reports BAD_SIGNATURE for a changed expiry (%i) with the same signature',
    (changedExpiry) => {
      // Arrange
      const [linkId, , mac] = signLinkToken({ linkId: LINK_ID, expiresAt: NOW }, SECRET).split('.');
      const tampered = `${linkId}.${changedExpiry}.${mac}`;

      // Act
      const result = verifyLinkToken(tampered, SECRET, NOW - 100);

      // Assess
      expect(result).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    },
  );

  it.each([
    ['a leading zero on the expiry', (t: string) => t.replace('.', '.0')],
    ['a sign on the expiry', (t: string) => t.replace('.', '.+')],
    ['a fourth part', (t: string) => `${t}.x`],
    ['a padded signature', (t: string) => `${t}=`],
    ['surrounding white space', (t: string) => ` ${t} `],
    ['a missing part', (t: string) => t.slice(0, t.lastIndexOf('.'))],
    ['an overlong token', (t: string) => t.replace('.', `.${'9'.repeat(100)}`)],
  ])('reports MALFORMED for %s', (_what, alter) => {
    // Arrange
    const token = signLinkToken({ linkId: LINK_ID, expiresAt: NOW + 60 }, SECRET);

    // Act
    const result = verifyLinkToken(alter(token), SECRET, NOW);

    // Assess
    expect(result).toEqual({ ok: false, reason: 'MALFORMED' });
  });

  it('never throws on garbage and never accepts it', () => {
    const garbage = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: fc.constantFrom(...'Aa09-_.'), maxLength: 100 }),
      fc
        .tuple(fc.string({ maxLength: 30 }), fc.string({ maxLength: 15 }), fc.string({ maxLength: 50 }))
        .map((parts) => parts.join('.')),
    );

    fc.assert(
      fc.property(garbage, (token) => {
        // Act
        const result = verifyLinkToken(token, SECRET, NOW);

        // Assess
        expect(result.ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a time that is not a number, which would never expire', () => {
    // Arrange
    const token = signLinkToken({ linkId: LINK_ID, expiresAt: NOW }, SECRET);

    // Act & Assess
    expect(() => verifyLinkToken(token, SECRET, Number.NaN)).toThrow(RangeError);
  });
});

describe('csrfToken and checkCsrf', () => {
  const nonce = newSessionNonce();

  it('computes base64url(HMAC-SHA256(secret, "csrf|linkId|nonce")) and accepts it', () => {
    // Arrange
    const expected = createHmac('sha256', SECRET).update(`csrf|${LINK_ID}|${nonce}`).digest('base64url');

    // Act
    const token = csrfToken(SECRET, LINK_ID, nonce);

    // Assess
    expect(token).toBe(expected);
    expect(checkCsrf(SECRET, LINK_ID, nonce, token)).toBe(true);
  });

  it('refuses the token of another session, another link or another secret', () => {
    // Arrange
    const token = csrfToken(SECRET, LINK_ID, nonce);

    // Act & Assess
    expect(checkCsrf(SECRET, LINK_ID, newSessionNonce(), token)).toBe(false);
    expect(checkCsrf(SECRET, newLinkId(), nonce, token)).toBe(false);
    expect(checkCsrf('another-secret', LINK_ID, nonce, token)).toBe(false);
  });

  it.each([
    ['no session nonce', undefined, 'valid'],
    ['no presented token', nonce, undefined],
    ['an empty presented token', nonce, ''],
    ['a malformed nonce', 'not a nonce', 'valid'],
    ['a padded token', nonce, 'padded'],
    ['a truncated token', nonce, 'truncated'],
  ])('returns false for %s', (_what, sessionNonce, presentedKind) => {
    // Arrange
    const valid = csrfToken(SECRET, LINK_ID, nonce);
    const presented =
      presentedKind === 'valid'
        ? valid
        : presentedKind === 'padded'
          ? `${valid}=`
          : presentedKind === 'truncated'
            ? valid.slice(0, -1)
            : presentedKind;

    // Act
    const result = checkCsrf(SECRET, LINK_ID, sessionNonce, presented);

    // Assess
    expect(result).toBe(false);
  });

  it('never throws on garbage nonces and tokens', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string({ unit: 'binary', maxLength: 60 }), { nil: undefined }),
        fc.option(fc.string({ unit: 'binary', maxLength: 60 }), { nil: undefined }),
        (sessionNonce, presented) => {
          // Act
          const result = checkCsrf(SECRET, LINK_ID, sessionNonce, presented);

          // Assess
          expect(result).toBe(false);
        },
      ),
    );
  });

  it('refuses to compute a token for a malformed nonce', () => {
    // Act & Assess
    expect(() => csrfToken(SECRET, LINK_ID, 'cookie-value')).toThrow(RangeError);
  });
});

describe('verifyLinkTokenWith and checkCsrfWith (a rotated key)', () => {
  const OLD = 'the key before the rotation, 32+ characters long';
  const NEW = 'the key after the rotation, also 32+ characters';
  const OLDER = 'the key two rotations back, 32+ characters long';
  const linkId = newLinkId();
  const nonce = newSessionNonce();
  const now = 1_790_000_000;

  it('accepts a link signed with the previous key until it expires, and one signed with the current', () => {
    // Prepare
    const keys = { current: NEW, previous: OLD };
    const old = signLinkToken({ linkId, expiresAt: now + 60 }, OLD);
    const fresh = signLinkToken({ linkId, expiresAt: now + 60 }, NEW);

    // Act
    const results = [
      verifyLinkTokenWith(old, keys, now),
      verifyLinkTokenWith(fresh, keys, now),
      verifyLinkTokenWith(old, keys, now + 60),
    ];

    // Assess
    expect(results).toEqual([
      { ok: true, claims: { linkId, expiresAt: now + 60 } },
      { ok: true, claims: { linkId, expiresAt: now + 60 } },
      { ok: false, reason: 'EXPIRED' },
    ]);
  });

  it('refuses a link signed with a key older than the previous one, or with no key in force', () => {
    // Prepare
    const older = signLinkToken({ linkId, expiresAt: now + 60 }, OLDER);

    // Act
    const withTwo = verifyLinkTokenWith(older, { current: NEW, previous: OLD }, now);
    const withOne = verifyLinkTokenWith(
      signLinkToken({ linkId, expiresAt: now + 60 }, OLD),
      { current: NEW },
      now,
    );

    // Assess
    expect(withTwo).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(withOne).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('accepts a form whose CSRF token was made with the previous key, and no other', () => {
    // Act
    const results = [OLD, NEW, OLDER].map((key) =>
      checkCsrfWith({ current: NEW, previous: OLD }, linkId, nonce, csrfToken(key, linkId, nonce)),
    );

    // Assess
    expect(results).toEqual([true, true, false]);
  });
});
