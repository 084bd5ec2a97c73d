import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * What an approval link carries: which link it is (the approval request and approver are looked
 * up by `linkId`; the workflow's task token never leaves the server) and until when it is valid.
 */
export interface LinkClaims {
  /** 128 random bits, base64url (22 characters), from {@link newLinkId}. */
  readonly linkId: string;
  /** Epoch seconds; the link is expired from this second on. */
  readonly expiresAt: number;
}

/** Result of {@link verifyLinkToken}. The reason is for logs and the page shown; it holds no secret. */
export type LinkTokenCheck =
  | { ok: true; claims: LinkClaims }
  | { ok: false; reason: 'MALFORMED' | 'BAD_SIGNATURE' | 'EXPIRED' };

/** 16 random bytes in base64url, unpadded. */
const RANDOM_ID = /^[A-Za-z0-9_-]{22}$/;
/** An HMAC-SHA256 (32 bytes) in base64url, unpadded. */
const MAC = /^[A-Za-z0-9_-]{43}$/;
/** Epoch seconds written canonically: no sign, no leading zero, at most 12 digits. */
const EPOCH_SECONDS = /^[1-9][0-9]{0,11}$/;
/** Longest well-formed token: 22 + 1 + 12 + 1 + 43 characters. */
const MAX_TOKEN_LENGTH = 79;

/** A new link ID: 128 random bits in base64url (22 characters). */
export function newLinkId(): string {
  return randomBytes(16).toString('base64url');
}

/** A new session nonce for the CSRF check: 128 random bits in base64url (22 characters). */
export function newSessionNonce(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Whether a value has the shape of a {@link newSessionNonce} result, e.g. one read back from a
 * cookie. Only such a nonce is accepted by {@link csrfToken} and {@link checkCsrf}.
 */
export function isSessionNonce(value: unknown): value is string {
  return typeof value === 'string' && RANDOM_ID.test(value);
}

/**
 * Signs link claims into the token put in the approval link:
 * `{linkId}.{expiresAt}.{base64url(HMAC-SHA256(secret, "link|" + linkId + "|" + expiresAt))}`.
 * @throws RangeError when the secret is empty, `linkId` is not 22 base64url characters or
 *   `expiresAt` is not a positive integer of at most 12 digits — a token {@link verifyLinkToken}
 *   would refuse is never produced.
 */
export function signLinkToken(claims: LinkClaims, secret: string): string {
  requireSecret(secret);
  if (!RANDOM_ID.test(claims.linkId)) throw new RangeError('linkId must be 22 base64url characters');
  const expiresAt = String(claims.expiresAt);
  if (!Number.isSafeInteger(claims.expiresAt) || !EPOCH_SECONDS.test(expiresAt)) {
    throw new RangeError('expiresAt must be a positive integer of epoch seconds');
  }
  return `${claims.linkId}.${expiresAt}.${linkMac(secret, claims.linkId, expiresAt)}`;
}

/**
 * Verifies a link token from {@link signLinkToken}. The format is checked strictly first (length,
 * characters, canonical number), then the signature in constant time against the text exactly as
 * presented, then the expiry — so an altered token is `BAD_SIGNATURE` whatever its expiry says.
 * Never throws on the token, whatever it holds.
 * @param nowEpochSeconds the current time; the link is expired when `now >= expiresAt`.
 * @throws RangeError when the secret is empty or `nowEpochSeconds` is not a finite number.
 */
export function verifyLinkToken(token: string, secret: string, nowEpochSeconds: number): LinkTokenCheck {
  requireSecret(secret);
  if (!Number.isFinite(nowEpochSeconds)) throw new RangeError('nowEpochSeconds must be a finite number');
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'MALFORMED' };
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'MALFORMED' };
  const [linkId = '', expiresAt = '', mac = ''] = parts;
  if (!RANDOM_ID.test(linkId) || !EPOCH_SECONDS.test(expiresAt) || !MAC.test(mac)) {
    return { ok: false, reason: 'MALFORMED' };
  }
  if (!sameAscii(mac, linkMac(secret, linkId, expiresAt))) return { ok: false, reason: 'BAD_SIGNATURE' };
  const claims: LinkClaims = { linkId, expiresAt: Number(expiresAt) };
  if (nowEpochSeconds >= claims.expiresAt) return { ok: false, reason: 'EXPIRED' };
  return { ok: true, claims };
}

/**
 * The keys of the link secret in force: links and forms are signed with `current`; while a
 * rotation's old key is `previous` (Secrets Manager's AWSCURRENT and AWSPREVIOUS), what it signed
 * still verifies, so a link issued before a rotation works until it expires.
 */
export interface LinkKeys {
  readonly current: string;
  readonly previous?: string | undefined;
}

const keysOf = (keys: LinkKeys): string[] =>
  keys.previous === undefined || keys.previous === keys.current
    ? [keys.current]
    : [keys.current, keys.previous];

/**
 * {@link verifyLinkToken} with either key of `keys`: the result of the key whose signature holds
 * (`ok`, or `EXPIRED`), else that of `current`.
 * @throws RangeError when a key is empty or `nowEpochSeconds` is not a finite number.
 */
export function verifyLinkTokenWith(token: string, keys: LinkKeys, nowEpochSeconds: number): LinkTokenCheck {
  const [current, ...older] = keysOf(keys).map((key) => verifyLinkToken(token, key, nowEpochSeconds));
  const signed = [current, ...older].find((check) => check?.ok || check?.reason === 'EXPIRED');
  return (signed ?? current) as LinkTokenCheck;
}

/**
 * {@link checkCsrf} with either key of `keys` (a form opened just before a rotation still posts).
 * @throws RangeError when a key is empty.
 */
export function checkCsrfWith(
  keys: LinkKeys,
  linkId: string,
  sessionNonce: string | undefined,
  presented: string | undefined,
): boolean {
  return keysOf(keys).some((key) => checkCsrf(key, linkId, sessionNonce, presented));
}

/**
 * The CSRF token of the approval form: `base64url(HMAC-SHA256(secret, "csrf|" + linkId + "|" +
 * sessionNonce))`. It binds the form post to the link and to the browser session that opened it.
 * @throws RangeError when the secret is empty or `linkId` / `sessionNonce` are not 22 base64url
 *   characters (check a nonce read from a cookie with {@link isSessionNonce}).
 */
export function csrfToken(secret: string, linkId: string, sessionNonce: string): string {
  requireSecret(secret);
  if (!RANDOM_ID.test(linkId)) throw new RangeError('linkId must be 22 base64url characters');
  if (!RANDOM_ID.test(sessionNonce)) throw new RangeError('sessionNonce must be 22 base64url characters');
  return csrfMac(secret, linkId, sessionNonce);
}

/**
 * Checks a presented CSRF token against the link and the session nonce, in constant time.
 * @returns `false` when the nonce or the presented token is missing or malformed, or they do
 *   not match; never throws on them.
 * @throws RangeError when the secret is empty.
 */
export function checkCsrf(
  secret: string,
  linkId: string,
  sessionNonce: string | undefined,
  presented: string | undefined,
): boolean {
  requireSecret(secret);
  if (typeof linkId !== 'string' || !RANDOM_ID.test(linkId)) return false;
  if (!isSessionNonce(sessionNonce)) return false;
  if (typeof presented !== 'string' || !MAC.test(presented)) return false;
  return sameAscii(presented, csrfMac(secret, linkId, sessionNonce));
}

function linkMac(secret: string, linkId: string, expiresAt: string): string {
  return createHmac('sha256', secret).update(`link|${linkId}|${expiresAt}`).digest('base64url');
}

function csrfMac(secret: string, linkId: string, sessionNonce: string): string {
  return createHmac('sha256', secret).update(`csrf|${linkId}|${sessionNonce}`).digest('base64url');
}

/**
 * Constant-time comparison of two base64url texts of the same length (both checked by a regex
 * before). The texts, not the decoded bytes, are compared: base64url decoding ignores the unused
 * low bits of the last character, so two different texts can decode to the same MAC.
 */
function sameAscii(presented: string, expected: string): boolean {
  const a = Buffer.from(presented, 'latin1');
  const b = Buffer.from(expected, 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}

function requireSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length === 0) throw new RangeError('the signing secret is empty');
}
