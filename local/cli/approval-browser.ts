/**
 * What a person's browser does with an approval link, over plain HTTP: open the page (keeping
 * its session cookie), read the form, and post a decision from the page's own origin. Used by
 * `--approve auto` and by tests; the browser tests do the same with a real Chromium.
 */

/** The value of a hidden input of the page, by name. */
export function formValue(html: string, name: string): string | undefined {
  const input = new RegExp(`<input[^>]*\\bname="${name}"[^>]*>`).exec(html)?.[0];
  const value = input ? /\bvalue="([^"]*)"/.exec(input)?.[1] : undefined;
  return value?.replaceAll('&amp;', '&').replaceAll('&quot;', '"');
}

/** The kind of a message page (`data-testid="message-kind"`), or undefined for another page. */
export function messageKind(html: string): string | undefined {
  return /data-testid="message-kind"[^>]*>([A-Z_]+)</.exec(html)?.[1];
}

/** The approval links (`…/approval?t=…`) in a text. */
export function approvalLinks(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s]+\/approval\?t=[A-Za-z0-9._~-]+/g)].map((m) => m[0]);
}

export interface OpenedApproval {
  readonly status: number;
  readonly html: string;
  /** `name=value` of the session cookie the page set, if any. */
  readonly cookie: string | undefined;
}

/** How the client presents itself; by default as the runtime's `fetch` does. */
export interface ClientOptions {
  readonly userAgent?: string;
}

const userAgentHeader = (options: ClientOptions) =>
  options.userAgent === undefined ? {} : { 'user-agent': options.userAgent };

/** GET of an approval link, as a browser opens it. */
export async function openApproval(link: string, options: ClientOptions = {}): Promise<OpenedApproval> {
  const response = await fetch(link, { headers: { 'sec-fetch-site': 'none', ...userAgentHeader(options) } });
  const setCookie = response.headers.getSetCookie()[0];
  return { status: response.status, html: await response.text(), cookie: setCookie?.split(';')[0] };
}

/** POST of the page's form with a decision, from the page's own origin. */
export async function decideApproval(
  link: string,
  page: OpenedApproval,
  decision: 'APPROVE' | 'REJECT',
  reason = '',
  options: ClientOptions = {},
): Promise<{ status: number; html: string; kind: string | undefined }> {
  const url = new URL(link);
  const form = new URLSearchParams({
    token: formValue(page.html, 'token') ?? '',
    csrf: formValue(page.html, 'csrf') ?? '',
    content: formValue(page.html, 'content') ?? '',
    decision,
    reason,
  });
  const response = await fetch(new URL(url.pathname, url.origin), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: url.origin,
      'sec-fetch-site': 'same-origin',
      ...userAgentHeader(options),
      ...(page.cookie ? { cookie: page.cookie } : {}),
    },
    body: form.toString(),
  });
  const html = await response.text();
  return { status: response.status, html, kind: messageKind(html) };
}
