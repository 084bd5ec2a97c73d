import { html, type SafeHtml } from './html.ts';
import { reportCount } from './report-format.ts';
import { fitTicks, numberTicks } from './svg-axis.ts';
import { CHART_COLOURS, coord, linearScale, svgChartTitle, svgFigure, svgText } from './svg-basics.ts';

/** One bar of {@link horizontalBarChart}. */
export interface Bar {
  /** First line of the bar's label (e.g. the Chinese name of a finding code). */
  readonly label: string;
  /** Second, smaller line of the label (e.g. the code). */
  readonly sublabel: string;
  readonly value: number;
  /** `alert` is drawn red, `caution` amber, `normal` blue. */
  readonly tone: 'alert' | 'caution' | 'normal';
}

const WIDTH = 640;
const LABEL_RIGHT = 262;
const BAR_LEFT = 270;
const BAR_RIGHT = 580;
const ROW = 34;
const TOP = 30;
const AXIS = 30;
const TICK_SIZE = 10;
/** A largest bar this many times the smallest makes the scale logarithmic. */
export const LOG_SCALE_RATIO = 20;

/** The scale of a bar chart: linear from 0, or logarithmic from 1 (one tick per power of ten). */
interface BarScale {
  readonly log: boolean;
  readonly x: (value: number) => number;
  readonly ticks: readonly number[];
  readonly labels: readonly string[];
}

function scaleOf(bars: readonly Bar[]): BarScale {
  const values = bars.map((b) => (Number.isFinite(b.value) ? b.value : 0));
  const max = Math.max(1, ...values);
  const smallest = Math.min(...values.filter((v) => v > 0), max);
  if (max / smallest < LOG_SCALE_RATIO) {
    const linear = linearScale([0, max], [BAR_LEFT, BAR_RIGHT]);
    const fitted = fitTicks(0, max, linear, numberTicks, TICK_SIZE);
    const top = Math.max(max, ...fitted.ticks);
    const x = linearScale([0, top], [BAR_LEFT, BAR_RIGHT]);
    const ticks = fitTicks(0, top, x, numberTicks, TICK_SIZE);
    return {
      log: false,
      x,
      ticks: ticks.ticks.filter((t) => t >= 0),
      labels: ticks.labels.filter((_, i) => (ticks.ticks[i] as number) >= 0),
    };
  }
  const decades = Math.max(1, Math.ceil(Math.log10(max) - 1e-9));
  const position = linearScale([0, decades], [BAR_LEFT, BAR_RIGHT]);
  const x = (value: number) => position(value > 1 ? Math.log10(value) : 0);
  const ticks = Array.from({ length: decades + 1 }, (_, k) => 10 ** k);
  return { log: true, x, ticks, labels: ticks.map((t) => reportCount(t)) };
}

/**
 * A horizontal bar chart: one row per bar, its two-line label on the left, the bar, and the value
 * written at its end, with a count axis along the bottom. When the largest bar is
 * {@link LOG_SCALE_RATIO} times the smallest or more, the scale is logarithmic (a gridline per
 * power of ten, marked `对数刻度 / log scale` top right, class `scale-note`), so one code that dwarfs
 * the rest leaves the others readable. A negative or non-finite value draws no bar; a bar is never
 * thinner than 2 px, so a count of 1 on a log scale still shows.
 * @returns an empty fragment when there are no bars.
 */
export function horizontalBarChart(title: string, bars: readonly Bar[]): SafeHtml {
  if (bars.length === 0) return html``;
  const scale = scaleOf(bars);
  const plotBottom = TOP + bars.length * ROW;
  const height = plotBottom + AXIS;
  const rows = bars.map((bar, i) => {
    const y = TOP + i * ROW;
    const end = bar.value > 0 ? Math.max(scale.x(bar.value), BAR_LEFT + 2) : BAR_LEFT;
    const fill = CHART_COLOURS[bar.tone];
    return html`<g>
<title>${bar.label} ${bar.sublabel}: ${reportCount(bar.value)}</title>
${svgText(LABEL_RIGHT, y + 13, bar.label, { anchor: 'end', size: 12 })}
${svgText(LABEL_RIGHT, y + 26, bar.sublabel, { anchor: 'end', size: 10, fill: CHART_COLOURS.muted })}
<rect x="${BAR_LEFT}" y="${coord(y + 6)}" width="${coord(Math.max(end - BAR_LEFT, 0))}" height="18" fill="${fill}"/>
${svgText(end + 6, y + 20, reportCount(bar.value), { size: 12, bold: true })}
</g>`;
  });
  const grid = scale.ticks.map(
    (
      t,
      i,
    ) => html`<line x1="${coord(scale.x(t))}" y1="${TOP}" x2="${coord(scale.x(t))}" y2="${coord(plotBottom + 4)}" stroke="${CHART_COLOURS.grid}"/>
${svgText(scale.x(t), plotBottom + 16, scale.labels[i] ?? '', { anchor: 'middle', size: TICK_SIZE, fill: CHART_COLOURS.muted, className: 'axis-tick' })}`,
  );
  const note = scale.log
    ? svgText(WIDTH - 10, 16, '对数刻度（每格 ×10）/ log scale (×10 per gridline)', {
        anchor: 'end',
        size: 11,
        bold: true,
        fill: CHART_COLOURS.caution,
        className: 'scale-note',
      })
    : svgText(WIDTH - 10, 16, '线性刻度 / linear scale', {
        anchor: 'end',
        size: 11,
        fill: CHART_COLOURS.muted,
        className: 'scale-note',
      });
  const axis = html`<line x1="${BAR_LEFT}" y1="${TOP}" x2="${BAR_LEFT}" y2="${coord(plotBottom)}" stroke="${CHART_COLOURS.muted}"/>`;
  return svgFigure({
    title: scale.log ? `${title}（对数刻度 / log scale）` : title,
    width: WIDTH,
    height,
    body: [svgChartTitle(title), note, ...grid, axis, ...rows],
  });
}
