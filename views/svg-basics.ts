import { html, raw, type SafeHtml } from './html.ts';

/** Colours the charts use, chosen to stay distinct when printed in grey. */
export const CHART_COLOURS = {
  ink: '#1a1a1a',
  muted: '#5c5c5c',
  grid: '#d4d4d4',
  band: '#cfe3f5',
  normal: '#1d4e89',
  alert: '#b91c1c',
  caution: '#b45309',
} as const;

/** Positions beyond this are clamped: they would only overflow a scale's arithmetic. */
const LIMIT = 1e15;

/**
 * A coordinate for an SVG attribute: rounded to 0.1 and 0 when not finite, so no `NaN` or
 * `Infinity` ever reaches the markup.
 */
export function coord(value: number): number {
  if (!Number.isFinite(value)) return 0;
  const rounded = Math.round(value * 10) / 10;
  return rounded === 0 ? 0 : rounded;
}

/** The smallest and largest finite values, widened when equal; `[0, 1]` when there are none. */
export function extent(values: readonly number[]): readonly [number, number] {
  const finite = values.filter(Number.isFinite).map(clamp);
  if (finite.length === 0) return [0, 1];
  const low = Math.min(...finite);
  const high = Math.max(...finite);
  if (low < high) return [low, high];
  const pad = Math.abs(low) > 0 ? Math.abs(low) * 0.1 : 1;
  return [low - pad, high + pad];
}

/**
 * A linear scale from `domain` to `range`; values outside the domain are clamped to it and a
 * non-finite value maps to the start of the range.
 */
export function linearScale(
  domain: readonly [number, number],
  range: readonly [number, number],
): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  return (value) => {
    if (!Number.isFinite(value) || !(span > 0)) return r0;
    const t = Math.min(1, Math.max(0, (clamp(value) - d0) / span));
    return r0 + t * (r1 - r0);
  };
}

function clamp(value: number): number {
  return Math.min(LIMIT, Math.max(-LIMIT, value));
}

/** Input of {@link svgFigure}. */
export interface SvgFigureInput {
  /** Read by screen readers and shown as a tooltip; plain text. */
  readonly title: string;
  readonly width: number;
  readonly height: number;
  /** The chart's SVG elements. */
  readonly body: SafeHtml | readonly SafeHtml[];
}

/**
 * An inline `<svg>` with a `<title>`, scaling to the width of its container (its `viewBox` keeps
 * the proportions). No `xmlns` URL (HTML parsing puts it in the SVG namespace), no scripts, fonts
 * or images: text inherits the page's font.
 */
export function svgFigure({ title, width, height, body }: SvgFigureInput): SafeHtml {
  return html`<svg class="chart" role="img" viewBox="0 0 ${coord(width)} ${coord(height)}" width="${coord(width)}" height="${coord(height)}" preserveAspectRatio="xMinYMin meet"><title>${title}</title>${body}</svg>`;
}

/** SVG text at a point; `anchor` is its `text-anchor`; `className` its `class` (what tests and styles find). */
export function svgText(
  x: number,
  y: number,
  text: string,
  options: {
    anchor?: 'start' | 'middle' | 'end';
    size?: number;
    fill?: string;
    bold?: boolean;
    className?: string;
  } = {},
): SafeHtml {
  const { anchor = 'start', size = 12, fill = CHART_COLOURS.ink, bold = false, className } = options;
  const weight = bold ? raw(' font-weight="700"') : '';
  const cls = className === undefined ? '' : html` class="${className}"`;
  return html`<text${cls} x="${coord(x)}" y="${coord(y)}" text-anchor="${anchor}" font-size="${size}" fill="${fill}"${weight}>${text}</text>`;
}

/** A chart's visible title, top left (class `chart-title`): which metric and category it shows. */
export function svgChartTitle(text: string, y = 16): SafeHtml {
  return svgText(10, y, text, { size: 13, bold: true, className: 'chart-title' });
}
