import { describe, expect, it } from 'vitest';
import { newLinkId, signLinkToken } from '#domain/approval/link-token.ts';
import { DESK_ROUTES } from '#schemas/desk-site-routes.ts';
import type { DeskRequest } from '#usecases/approval-desk.ts';
import type { DeskLink, DeskSession, DeskStore, TownUpload } from '#usecases/desk-ports.ts';
import type { AuditEntry, CaseStore, ObjectStore } from '#usecases/ports.ts';
import { handleTownDeskRequest, type TownDeskDeps } from '#usecases/town-desk.ts';

const KEY = 'k'.repeat(48);
const SITE = 'https://desk.example';
const NOW = new Date('2026-10-05T08:00:00Z');
const epoch = Math.floor(NOW.getTime() / 1000);

/** Links and sessions in memory, with the conditional writes the DynamoDB store makes. */
class MemoryDeskStore implements DeskStore {
  readonly links = new Map<string, DeskLink>();
  readonly sessions = new Map<string, DeskSession>();
  async putLink(link: DeskLink) {
    this.links.set(link.linkId, link);
  }
  async getLink(id: string) {
    return this.links.get(id);
  }
  async useLink(id: string, at: string) {
    const link = this.links.get(id);
    if (!link || link.usedAt || link.revokedAt) return false;
    this.links.set(id, { ...link, usedAt: at });
    return true;
  }
  async revokeLink(id: string, at: string, by: string) {
    const link = this.links.get(id);
    if (!link) return false;
    this.links.set(id, { ...link, revokedAt: at, revokedBy: by });
    return true;
  }
  async putSession(session: DeskSession) {
    this.sessions.set(session.sessionId, session);
  }
  async getSession(id: string) {
    return this.sessions.get(id);
  }
  async batchUploads(): Promise<TownUpload[]> {
    return [];
  }
  async getUpload() {
    return undefined;
  }
  async acceptedStagedKey() {
    return undefined;
  }
}

function prepare(expiresIn = 3600) {
  const desk = new MemoryDeskStore();
  const audit: AuditEntry[] = [];
  const linkId = newLinkId();
  const expiresAt = epoch + expiresIn;
  void desk.putLink({
    linkId,
    month: '2026-10',
    town: 'shiqi',
    officerEmail: 'shiqi@towns.example.gov.cn',
    expiresAt,
    issuedAt: NOW.toISOString(),
    issuedBy: 'bureau:test',
  });
  const deps: TownDeskDeps = {
    desk,
    // No case route is asked in these tests.
    cases: {} as CaseStore,
    signer: {
      signPut: async (key) => `https://bucket.example/${key}?sig`,
      origin: async () => 'https://bucket.example',
    },
    store: { readBytes: async () => undefined } as unknown as ObjectStore,
    audit: { append: async (e) => void audit.push(e), list: async () => audit },
    keys: { current: KEY },
    baseUrl: SITE,
    now: () => NOW,
  };
  const token = signLinkToken({ linkId, expiresAt: expiresIn > 0 ? expiresAt : epoch - 1 }, KEY);
  return { desk, deps, audit, linkId, token };
}

const request = (r: Partial<DeskRequest>): DeskRequest => ({
  method: 'GET',
  path: DESK_ROUTES.open,
  query: {},
  headers: {},
  cookies: {},
  body: '',
  sourceIp: '10.0.0.1',
  ...r,
});

/** Opens the link as a browser does: GET (cookie and CSRF token), then POST. */
async function open(deps: TownDeskDeps, token: string) {
  const shown = await handleTownDeskRequest(request({ query: { t: token } }), deps);
  const nonce = /pg_desk_open=([^;]+)/.exec(shown.cookies[0] ?? '')?.[1] ?? '';
  const csrf = /name="csrf" value="([^"]+)"/.exec(shown.body)?.[1] ?? '';
  const posted = await handleTownDeskRequest(
    request({
      method: 'POST',
      body: new URLSearchParams({ token, csrf }).toString(),
      cookies: { pg_desk_open: nonce },
      headers: { origin: SITE, 'sec-fetch-site': 'same-origin' },
    }),
    deps,
  );
  return { shown, posted };
}

describe('handleTownDeskRequest', () => {
  it('shows the link without using it; the POST uses it once and opens a session of its town', async () => {
    // Prepare
    const { desk, deps, audit, linkId, token } = prepare();

    // Act
    const { shown, posted } = await open(deps, token);
    const replay = await open(deps, token);

    // Assess
    expect(shown.statusCode).toBe(200);
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe(DESK_ROUTES.home);
    expect(posted.cookies[0]).toMatch(
      /^pg_desk=[A-Za-z0-9_-]{22}; Path=\/desk; HttpOnly; SameSite=Strict; Max-Age=3600; Secure$/,
    );
    expect([...desk.sessions.values()].map((s) => s.town)).toEqual(['shiqi']);
    expect(desk.links.get(linkId)?.usedAt).toBe(NOW.toISOString());
    expect(replay.shown.statusCode).toBe(409);
    expect(replay.shown.body).toContain('ALREADY_USED');
    expect(audit.map((e) => e.action)).toEqual(['DESK_OPENED']);
  });

  it('refuses an expired link, and a GET of it changes nothing', async () => {
    // Prepare
    const { desk, deps, linkId, token } = prepare(-1);

    // Act
    const { shown, posted } = await open(deps, token);

    // Assess
    expect(shown.statusCode).toBe(410);
    expect(shown.body).toContain('EXPIRED');
    expect(posted.statusCode).toBe(410);
    expect(desk.links.get(linkId)?.usedAt).toBeUndefined();
    expect(desk.sessions.size).toBe(0);
  });

  it('refuses opening with a wrong CSRF token or from another site', async () => {
    // Prepare
    const { desk, deps, token } = prepare();
    const shown = await handleTownDeskRequest(request({ query: { t: token } }), deps);
    const nonce = /pg_desk_open=([^;]+)/.exec(shown.cookies[0] ?? '')?.[1] ?? '';
    const csrf = /name="csrf" value="([^"]+)"/.exec(shown.body)?.[1] ?? '';
    const post = (body: Record<string, string>, headers: Record<string, string>) =>
      handleTownDeskRequest(
        request({
          method: 'POST',
          body: new URLSearchParams(body).toString(),
          cookies: { pg_desk_open: nonce },
          headers,
        }),
        deps,
      );

    // Act
    const wrong = await post({ token, csrf: 'B'.repeat(43) }, { origin: SITE });
    const crossSite = await post({ token, csrf }, { origin: 'https://evil.example' });
    const nullOrigin = await post({ token, csrf }, { origin: 'null' });

    // Assess
    expect([wrong.statusCode, crossSite.statusCode, nullOrigin.statusCode]).toEqual([403, 403, 403]);
    expect(desk.sessions.size).toBe(0);
  });

  it('ends the session when its link is revoked', async () => {
    // Prepare
    const { desk, deps, linkId, token } = prepare();
    const { posted } = await open(deps, token);
    const session = /pg_desk=([^;]+)/.exec(posted.cookies[0] ?? '')?.[1] ?? '';
    const home = () =>
      handleTownDeskRequest(request({ path: DESK_ROUTES.home, cookies: { pg_desk: session } }), deps);
    const before = await home();

    // Act
    await desk.revokeLink(linkId, NOW.toISOString(), 'bureau:test');
    const after = await home();

    // Assess
    expect(before.statusCode).toBe(200);
    expect(before.headers['content-security-policy']).toContain("connect-src 'self' https://bucket.example");
    expect(after.statusCode).toBe(410);
    expect(after.body).toContain('REVOKED');
  });
});
