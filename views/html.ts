/** HTML that is safe to put in a page as is: markup built by {@link html} or marked by {@link raw}. */
export class SafeHtml {
  readonly #markup: string;
  constructor(markup: string) {
    this.#markup = markup;
  }
  toString(): string {
    return this.#markup;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an HTML element or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Marks trusted markup (never data) as safe, so {@link html} does not escape it. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** A value {@link html} can interpolate: text and numbers are escaped, nothing is written for null/undefined/false. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

/**
 * Template tag that escapes every interpolated value unless it is {@link SafeHtml}; arrays are
 * written one after the other. The template's literal parts are trusted markup.
 * @example html`<td>${name}</td>` // name '<b>' gives '<td>&lt;b&gt;</td>'
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += write(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

function write(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map(write).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** Input of {@link page}. */
export interface PageInput {
  /** Plain text; escaped. */
  readonly title: string;
  readonly body: SafeHtml;
  /** Language of the page; `zh-CN` unless given (texts are Chinese first, then English). */
  readonly lang?: string;
  /**
   * The page's referrer policy. A page with a form that posts to its own site needs `same-origin`:
   * under `no-referrer` browsers send `Origin: null` with the post, which the site refuses.
   * @default 'no-referrer'
   */
  readonly referrer?: 'no-referrer' | 'same-origin';
  /**
   * The page's Content-Security-Policy (its meta). A page with a script of its own names it by
   * nonce here.
   * @default "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'" (no script, nothing fetched)
   */
  readonly csp?: string;
}

const NO_SCRIPT_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'";

const STYLE = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #5c5c5c; --line: #c9c9c9; --soft: #f3f4f6;
  --ok: #14532d; --ok-bg: #dcfce7; --warn: #7c2d12; --warn-bg: #ffedd5; --info-bg: #e0f2fe; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.55; font-size: 16px;
  font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", system-ui, sans-serif; }
main { max-width: 64rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.6rem; margin: 0 0 .75rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; padding-bottom: .25rem; border-bottom: 2px solid var(--line); }
p { margin: .4rem 0; }
.muted { color: var(--muted); font-size: .9rem; }
.big { font-size: 2.4rem; font-weight: 700; margin: .25rem 0; font-variant-numeric: tabular-nums; }
.panel { border: 1px solid var(--line); border-radius: 6px; padding: 1rem 1.25rem; margin: 1rem 0; }
.panel.ok { background: var(--ok-bg); border-color: var(--ok); }
.panel.warn { background: var(--warn-bg); border-color: var(--warn); }
.panel.info { background: var(--info-bg); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .95rem; }
th, td { border: 1px solid var(--line); padding: .35rem .6rem; text-align: left; vertical-align: top; }
thead th { background: var(--soft); }
tfoot td, tfoot th { font-weight: 700; background: var(--soft); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font-family: ui-monospace, "SFMono-Regular", Consolas, monospace; font-size: .95em; }
.id { font-family: ui-monospace, "SFMono-Regular", Consolas, monospace; white-space: nowrap; }
label { display: block; font-weight: 700; margin: .75rem 0 .25rem; }
textarea { width: 100%; min-height: 5rem; font: inherit; padding: .5rem; }
.actions { display: flex; gap: 1rem; flex-wrap: wrap; margin-top: 1rem; }
button { font: inherit; font-weight: 700; padding: .6rem 1.4rem; border-radius: 6px; cursor: pointer; }
button.approve { background: var(--ok); color: #fff; border: 2px solid var(--ok); }
button.reject { background: #fff; color: var(--warn); border: 2px solid var(--warn); }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .8rem; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  .panel { background: none !important; }
  .no-print { display: none !important; }
  h2 { break-after: avoid; }
  tr { break-inside: avoid; }
  code[title]::after { content: " " attr(title); word-break: break-all; }
}
`;

/**
 * A whole, self-contained HTML page: inline CSS only (no scripts, nothing fetched — a
 * Content-Security-Policy meta forbids both), readable on a laptop and printable.
 */
export function page({
  title,
  body,
  lang = 'zh-CN',
  referrer = 'no-referrer',
  csp = NO_SCRIPT_CSP,
}: PageInput): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp.replaceAll('&', '&amp;').replaceAll('"', '&quot;')}">
<meta name="referrer" content="${referrer}">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body.toString()}
</main>
</body>
</html>
`;
}
