import { html, type SafeHtml } from './html.ts';
import { reportCount } from './report-format.ts';
import { CHART_COLOURS, coord, extent, linearScale, svgFigure, svgText } from './svg-basics.ts';

/** One panel of {@link trendMultiples}: a series of values, one per month. */
export interface TrendSeries {
  readonly label: string;
  readonly sublabel: string;
  /** One value per month of the chart, in the same order; null where the month has none. */
  readonly values: readonly (number | null)[];
  /** Drawn red and thicker, with a red frame. */
  readonly flagged: boolean;
}

const WIDTH = 220;
const HEIGHT = 120;
const LEFT = 10;
const RIGHT = WIDTH - 10;
const PLOT_TOP = 38;
const PLOT_BOTTOM = HEIGHT - 22;

/**
 * Small multiples: one small line chart per series over the same months, each on its own vertical
 * scale (the shape matters, not the size); the last month is marked with a larger dot and its value
 * written top right; `measure` (what is drawn, e.g. `受助人数（全部类别）`) is written at the foot of
 * every panel, between the first and last months. Months with no finite value break the line.
 * @param months the months of the horizontal axis, oldest first; the last one is the current month.
 */
export function trendMultiples(
  months: readonly string[],
  series: readonly TrendSeries[],
  measure: string,
): SafeHtml {
  return html`${series.map((s) => panel(months, s, measure))}`;
}

function panel(months: readonly string[], series: TrendSeries, measure: string): SafeHtml {
  const colour = series.flagged ? CHART_COLOURS.alert : CHART_COLOURS.normal;
  const x = linearScale([0, Math.max(months.length - 1, 1)], [LEFT + 4, RIGHT - 4]);
  const y = linearScale(extent(series.values.map(finiteOrNaN)), [PLOT_BOTTOM, PLOT_TOP]);
  const points = series.values.map((v, i) => (v !== null && Number.isFinite(v) ? { i, v } : null));
  const lines = segments(points).map(
    (run) =>
      html`<polyline points="${run.map((p) => `${coord(x(p.i))},${coord(y(p.v))}`).join(' ')}" fill="none" stroke="${colour}" stroke-width="${series.flagged ? 3 : 2}" stroke-linejoin="round"/>`,
  );
  const last = months.length - 1;
  const dots = points.map((p) =>
    p === null
      ? ''
      : html`<circle cx="${coord(x(p.i))}" cy="${coord(y(p.v))}" r="${p.i === last ? 4 : 2}" fill="${colour}"><title>${months[p.i] ?? ''}: ${reportCount(p.v)}</title></circle>`,
  );
  const current = series.values[last];
  const frame = series.flagged
    ? html`<rect x="1" y="1" width="${WIDTH - 2}" height="${HEIGHT - 2}" fill="#fef2f2" stroke="${CHART_COLOURS.alert}" stroke-width="2"/>`
    : html`<rect x="0.5" y="0.5" width="${WIDTH - 1}" height="${HEIGHT - 1}" fill="none" stroke="${CHART_COLOURS.grid}"/>`;
  const body = html`${frame}
${svgText(LEFT, 16, series.label, { size: 12, fill: colour, bold: series.flagged })}
${svgText(LEFT, 29, series.sublabel, { size: 9, fill: CHART_COLOURS.muted })}
${svgText(RIGHT, 16, current === undefined || current === null ? '—' : reportCount(current), { anchor: 'end', size: 12, bold: true })}
${lines}${dots}
${svgText(LEFT, HEIGHT - 7, months[0] ?? '', { size: 9, fill: CHART_COLOURS.muted })}
${svgText(WIDTH / 2, HEIGHT - 7, measure, { anchor: 'middle', size: 9, fill: CHART_COLOURS.muted, className: 'chart-title' })}
${svgText(RIGHT, HEIGHT - 7, months[last] ?? '', { anchor: 'end', size: 9, fill: CHART_COLOURS.muted })}`;
  const title = `${series.label} ${series.sublabel} ${measure}: ${months.map((m, i) => `${m} ${valueText(series.values[i])}`).join(', ')}`;
  return svgFigure({ title, width: WIDTH, height: HEIGHT, body });
}

function segments<T>(points: readonly (T | null)[]): T[][] {
  const runs: T[][] = [];
  let run: T[] = [];
  for (const p of points) {
    if (p === null) {
      if (run.length > 1) runs.push(run);
      run = [];
    } else run.push(p);
  }
  if (run.length > 1) runs.push(run);
  return runs;
}

function finiteOrNaN(value: number | null): number {
  return value ?? Number.NaN;
}

function valueText(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : reportCount(value);
}
