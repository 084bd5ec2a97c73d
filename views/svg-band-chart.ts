import { html, type SafeHtml } from './html.ts';
import { reportMeasure } from './report-format.ts';
import { fitTicks, type TickFormat, topAxis } from './svg-axis.ts';
import {
  CHART_COLOURS,
  coord,
  extent,
  linearScale,
  svgChartTitle,
  svgFigure,
  svgText,
} from './svg-basics.ts';

/** One row of {@link bandChart}: a value against the band it was expected in. */
export interface BandRow {
  readonly label: string;
  readonly sublabel: string;
  /** Where the dot is drawn, in the axis' unit. */
  readonly value: number;
  readonly baseline: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly score: number | null;
  /** Drawn red, on a tinted row. */
  readonly flagged: boolean;
  /** The value as written at the right of the row (e.g. `2.13%`, `812.50 元`). */
  readonly shown: string;
}

/** What a band chart shows. */
export interface BandChartOptions {
  /** The chart's visible title: which metric, which category, what is drawn. Plain text. */
  readonly title: string;
  /** How the axis writes its ticks. */
  readonly format: TickFormat;
}

const WIDTH = 640;
const LABEL_RIGHT = 170;
const PLOT_LEFT = 182;
const PLOT_RIGHT = 512;
const VALUE_LEFT = 526;
const TOP = 52;
const ROW = 32;
const LEGEND = 30;
const TICK_SIZE = 10;

/**
 * Each row's value as a dot against its expected band (a pale bar from `low` to `high`, with a tick
 * at the baseline), on one shared horizontal scale whose round ticks are written along the top so
 * that no two labels meet; flagged rows in red. The title (class `chart-title`) says what is drawn.
 * Rows are drawn in the order given. Values that are null or not finite draw nothing and are
 * written as `—`.
 * @returns an empty fragment when there are no rows.
 */
export function bandChart(options: BandChartOptions, rows: readonly BandRow[]): SafeHtml {
  if (rows.length === 0) return html``;
  const [low, high] = extent(
    rows.flatMap((r) => [r.value, r.baseline ?? Number.NaN, r.low ?? Number.NaN, r.high ?? Number.NaN]),
  );
  const pad = (high - low) * 0.05;
  const first = linearScale([low - pad, high + pad], [PLOT_LEFT, PLOT_RIGHT]);
  const fitted = fitTicks(low - pad, high + pad, first, options.format, TICK_SIZE);
  // The axis spans its outer ticks, so every tick sits on the plot.
  const domain = [Math.min(low - pad, ...fitted.ticks), Math.max(high + pad, ...fitted.ticks)] as const;
  const x = linearScale(domain, [PLOT_LEFT, PLOT_RIGHT]);
  const ticks = fitTicks(domain[0], domain[1], x, options.format, TICK_SIZE);
  const plotBottom = TOP + rows.length * ROW;
  const height = plotBottom + LEGEND;
  const body = [
    svgChartTitle(options.title),
    topAxis(ticks, x, TOP, plotBottom, TICK_SIZE),
    ...rows.map((row, i) => bandRow(row, TOP + i * ROW, x)),
    legend(plotBottom + 8),
  ];
  return svgFigure({ title: options.title, width: WIDTH, height, body });
}

function bandRow(row: BandRow, y: number, x: (v: number) => number): SafeHtml {
  const mid = y + ROW / 2;
  const colour = row.flagged ? CHART_COLOURS.alert : CHART_COLOURS.normal;
  const tint = row.flagged
    ? html`<rect x="0" y="${coord(y + 1)}" width="${WIDTH}" height="${ROW - 2}" fill="#fee2e2"/>`
    : '';
  const band =
    isNumber(row.low) && isNumber(row.high)
      ? html`<rect x="${coord(x(row.low))}" y="${coord(mid - 7)}" width="${coord(Math.max(x(row.high) - x(row.low), 1))}" height="14" rx="3" fill="${CHART_COLOURS.band}"/>`
      : '';
  const baseline = isNumber(row.baseline)
    ? html`<line x1="${coord(x(row.baseline))}" y1="${coord(mid - 9)}" x2="${coord(x(row.baseline))}" y2="${coord(mid + 9)}" stroke="${CHART_COLOURS.muted}" stroke-width="2"/>`
    : '';
  const dot = Number.isFinite(row.value)
    ? html`<circle cx="${coord(x(row.value))}" cy="${coord(mid)}" r="6" fill="${colour}" stroke="#fff" stroke-width="1.5"/>`
    : '';
  const score = isNumber(row.score) ? reportMeasure(row.score) : '—';
  return html`<g>
<title>${row.label} ${row.sublabel}: ${row.shown}; 评分 / score ${score}</title>
${tint}
${svgText(LABEL_RIGHT, mid - 2, row.label, { anchor: 'end', size: 12, fill: colour, bold: row.flagged })}
${svgText(LABEL_RIGHT, mid + 10, row.sublabel, { anchor: 'end', size: 9, fill: CHART_COLOURS.muted })}
${band}${baseline}${dot}
${svgText(VALUE_LEFT, mid - 2, row.shown, { size: 12, fill: colour, bold: true })}
${svgText(VALUE_LEFT, mid + 10, `评分 / score ${score}`, { size: 9, fill: CHART_COLOURS.muted })}
</g>`;
}

function legend(y: number): SafeHtml {
  return html`<g>
<rect x="10" y="${y}" width="22" height="12" rx="3" fill="${CHART_COLOURS.band}"/>
${svgText(38, y + 10, '预期区间 / expected band', { size: 10 })}
<line x1="196" y1="${y - 2}" x2="196" y2="${y + 14}" stroke="${CHART_COLOURS.muted}" stroke-width="2"/>
${svgText(204, y + 10, '预期 / expected', { size: 10 })}
<circle cx="316" cy="${y + 6}" r="5" fill="${CHART_COLOURS.normal}"/>
${svgText(326, y + 10, '本月 / this month', { size: 10 })}
<circle cx="446" cy="${y + 6}" r="5" fill="${CHART_COLOURS.alert}"/>
${svgText(456, y + 10, '异常 / flagged', { size: 10 })}
</g>`;
}

function isNumber(value: number | null): value is number {
  return value !== null && Number.isFinite(value);
}
