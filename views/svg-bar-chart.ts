import { html, type SafeHtml } from './html.ts';
import { reportCount } from './report-format.ts';
import { CHART_COLOURS, coord, linearScale, svgFigure, svgText } from './svg-basics.ts';

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
const TOP = 8;

/**
 * A horizontal bar chart: one row per bar, its two-line label on the left, the bar, and the value
 * written at its end. Bars start at 0; a negative or non-finite value draws no bar.
 * @returns an empty fragment when there are no bars.
 */
export function horizontalBarChart(title: string, bars: readonly Bar[]): SafeHtml {
  if (bars.length === 0) return html``;
  const max = Math.max(1, ...bars.map((b) => (Number.isFinite(b.value) ? b.value : 0)));
  const x = linearScale([0, max], [BAR_LEFT, BAR_RIGHT]);
  const rows = bars.map((bar, i) => {
    const y = TOP + i * ROW;
    const end = bar.value > 0 ? x(bar.value) : BAR_LEFT;
    const fill = CHART_COLOURS[bar.tone];
    return html`<g>
<title>${bar.label} ${bar.sublabel}: ${reportCount(bar.value)}</title>
${svgText(LABEL_RIGHT, y + 13, bar.label, { anchor: 'end', size: 12 })}
${svgText(LABEL_RIGHT, y + 26, bar.sublabel, { anchor: 'end', size: 10, fill: CHART_COLOURS.muted })}
<rect x="${BAR_LEFT}" y="${coord(y + 6)}" width="${coord(Math.max(end - BAR_LEFT, 0))}" height="18" fill="${fill}"/>
${svgText(end + 6, y + 20, reportCount(bar.value), { size: 12, bold: true })}
</g>`;
  });
  const height = TOP * 2 + bars.length * ROW;
  const axis = html`<line x1="${BAR_LEFT}" y1="${TOP}" x2="${BAR_LEFT}" y2="${coord(height - TOP)}" stroke="${CHART_COLOURS.muted}"/>`;
  return svgFigure({ title, width: WIDTH, height, body: [axis, ...rows] });
}
