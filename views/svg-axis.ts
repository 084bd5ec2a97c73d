import { groupThousands } from './display-number.ts';
import { html, type SafeHtml } from './html.ts';
import { CHART_COLOURS, coord, svgText } from './svg-basics.ts';

/** How an axis writes its tick values, given the step between ticks. */
export type TickFormat = (value: number, step: number) => string;

/** Minus sign of the chart labels (U+2212), as a person writes it. */
const MINUS = '\u2212';

/** Decimals that show a step of `step` (0.05 → 2, 20 → 0). */
function decimalsOf(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  return Math.min(6, Math.max(0, -Math.floor(Math.log10(step) + 1e-9)));
}

function signedNumber(value: number, decimals: number, sign: boolean): string {
  if (!Number.isFinite(value)) return '—';
  // From a billion on, exponent notation: no long run of digits is ever written.
  if (Math.abs(value) >= 1e9) {
    const exponent = value.toExponential(1).replace('-', MINUS);
    return sign && value > 0 ? `+${exponent}` : exponent;
  }
  const fixed = Math.abs(value).toFixed(decimals);
  const [integer = '0', fraction] = fixed.split('.');
  const text = fraction === undefined ? groupThousands(integer) : `${groupThousands(integer)}.${fraction}`;
  if (Number(fixed) === 0) return text;
  if (value < 0) return `${MINUS}${text}`;
  return sign ? `+${text}` : text;
}

/** Fractions as signed percentages with the decimals the step needs: `−10%`, `0%`, `+2.5%`. */
export const percentTicks: TickFormat = (value, step) =>
  `${signedNumber(value * 100, decimalsOf(step * 100), true)}%`;

/** Plain numbers with thousands separators and the decimals the step needs: `1,200`, `0.25`. */
export const numberTicks: TickFormat = (value, step) => signedNumber(value, decimalsOf(step), false);

/**
 * Round tick values (1, 2 or 5 × a power of ten apart) covering `[low, high]`, about `count` of
 * them; the first is at or below `low`, the last at or above `high`. Two ticks (`low`, `high`) when
 * the range is empty or not finite.
 * @example niceTicks(-0.013, 0.27, 5) // [-0.1, 0, 0.1, 0.2, 0.3]
 */
export function niceTicks(low: number, high: number, count: number): number[] {
  if (!Number.isFinite(low) || !Number.isFinite(high) || !(high > low)) return [low, high];
  const rough = (high - low) / Math.max(count, 1);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power) as number;
  const first = Math.floor(low / step + 1e-9);
  const last = Math.ceil(high / step - 1e-9);
  const ticks: number[] = [];
  for (let k = first; k <= last && ticks.length < 100; k++) {
    const t = Number((k * step).toPrecision(12));
    ticks.push(t === 0 ? 0 : t);
  }
  return ticks;
}

/** An estimate of a label's width in pixels: full-width (CJK) characters 1 em, others 0.62 em. */
export function textWidth(text: string, fontSize: number): number {
  let ems = 0;
  for (const c of text) ems += (c.codePointAt(0) ?? 0) >= 0x2e80 ? 1 : 0.62;
  return ems * fontSize;
}

/** Space kept between two tick labels, in pixels. */
const LABEL_GAP = 8;

/** Ticks whose labels fit side by side along an axis, and the step between them. */
export interface FittedTicks {
  readonly ticks: readonly number[];
  readonly step: number;
  readonly labels: readonly string[];
}

/**
 * The most round ticks (at most 7) over `[low, high]` whose labels, written centred at `position`
 * with `fontSize`, are all different and leave at least 8 px between each other: fewer ticks until
 * they do.
 */
export function fitTicks(
  low: number,
  high: number,
  position: (value: number) => number,
  format: TickFormat,
  fontSize: number,
): FittedTicks {
  let ticks: number[] = [];
  for (let count = 7; count >= 1; count--) {
    ticks = niceTicks(low, high, count);
    const step = ticks.length > 1 ? (ticks[1] as number) - (ticks[0] as number) : 0;
    const labels = ticks.map((t) => format(t, step));
    // Two ticks written alike (a step finer than the format's decimals) would read as one.
    const distinct = new Set(labels).size === labels.length;
    // Each label's left end against the previous one's right end, as they are drawn: the same
    // test rearranged (the gap between ticks against half of both widths) rounds differently, and
    // let two labels exactly LABEL_GAP apart by one reckoning come a hair closer by the other.
    const fits =
      distinct &&
      ticks.every((t, i) => {
        if (i === 0) return true;
        const previous = ticks[i - 1] as number;
        const left = position(t) - textWidth(labels[i] as string, fontSize) / 2;
        const right = position(previous) + textWidth(labels[i - 1] as string, fontSize) / 2;
        return left >= right + LABEL_GAP;
      });
    if (fits) return { ticks, step, labels };
  }
  // Not even two labels fit: one, at the round value nearest the middle.
  const middle = ticks[ticks.length >> 1] ?? low;
  return { ticks: [middle], step: 0, labels: [format(middle, Math.abs(middle) || 1)] };
}

/**
 * A horizontal axis along the top of a plot: a grid line and a label at each tick (class
 * `axis-tick`), the zero line thicker. Labels are written centred above `top`.
 */
export function topAxis(
  fitted: FittedTicks,
  position: (value: number) => number,
  top: number,
  bottom: number,
  fontSize = 10,
): SafeHtml {
  return html`${fitted.ticks.map(
    (
      t,
      i,
    ) => html`<line x1="${coord(position(t))}" y1="${coord(top - 4)}" x2="${coord(position(t))}" y2="${coord(bottom)}" stroke="${CHART_COLOURS.grid}"${t === 0 ? html` stroke-width="2"` : ''}/>
${svgText(position(t), top - 8, fitted.labels[i] ?? '', { anchor: 'middle', size: fontSize, fill: CHART_COLOURS.muted, className: 'axis-tick' })}`,
  )}`;
}
