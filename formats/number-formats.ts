/**
 * The date and time formats among Excel's built-in number formats (ECMA-376 Part 1, 18.8.30), by
 * `numFmtId`; a workbook may not define them. Ids 27–36 and 50–58 depend on the locale Excel runs
 * in; the codes here are those of Simplified Chinese Excel, where town offices make their rosters
 * (`yyyy"年"m"月"` is what `2026-10` typed into a cell becomes there).
 */
const BUILT_IN_DATE_TIME_FORMATS: ReadonlyMap<number, string> = new Map([
  [14, 'yyyy/m/d'],
  [15, 'd-mmm-yy'],
  [16, 'd-mmm'],
  [17, 'mmm-yy'],
  [18, 'h:mm AM/PM'],
  [19, 'h:mm:ss AM/PM'],
  [20, 'h:mm'],
  [21, 'h:mm:ss'],
  [22, 'yyyy/m/d h:mm'],
  [27, 'yyyy"年"m"月"'],
  [28, 'm"月"d"日"'],
  [29, 'm"月"d"日"'],
  [30, 'm-d-yy'],
  [31, 'yyyy"年"m"月"d"日"'],
  [32, 'h"时"mm"分"'],
  [33, 'h"时"mm"分"ss"秒"'],
  [34, '上午/下午h"时"mm"分"'],
  [35, '上午/下午h"时"mm"分"ss"秒"'],
  [36, 'yyyy"年"m"月"'],
  [45, 'mm:ss'],
  [46, '[h]:mm:ss'],
  [47, 'mmss.0'],
  [50, 'yyyy"年"m"月"'],
  [51, 'm"月"d"日"'],
  [52, 'yyyy"年"m"月"'],
  [53, 'm"月"d"日"'],
  [54, 'm"月"d"日"'],
  [55, '上午/下午h"时"mm"分"'],
  [56, '上午/下午h"时"mm"分"ss"秒"'],
  [57, 'yyyy"年"m"月"'],
  [58, 'm"月"d"日"'],
]);

/** The format code of a built-in date or time format, `undefined` for any other id. */
export function builtInDateTimeFormat(numFmtId: number): string | undefined {
  return BUILT_IN_DATE_TIME_FORMATS.get(numFmtId);
}

/** A run of one date or time letter of a format code: `y`, `m`, `d`, `e` (era year), `h`, `s`. */
interface Token {
  readonly letter: string;
  readonly length: number;
}

const DATE_TIME_LETTERS = 'ymdehs';
/** Markers that contain date letters but are no date part (`AM/PM` has an `m`). */
const SKIPPED_WORDS = ['am/pm', 'a/p', '上午/下午', 'general'];
const ELAPSED = /^(?:h+|m+|s+)$/i;

/**
 * Whether a number format code shows a date, i.e. has a year, month or day part, as Excel reads
 * it: text in quotes, escaped (`\x`), padding (`_x`) and fill (`*x`) characters, bracketed
 * colours, conditions and locales (`[Red]`, `[$-804]`) and `AM/PM` are no parts; an `m` or
 * `mm` right after an hour or right before seconds is minutes (`h:mm`, `mm:ss`), any other `m`
 * is the month; `E+`/`E-` is an exponent, another `e` the era year. A time alone (`h:mm`,
 * `[h]:mm:ss`) is not a date: the cell shows no day.
 * @example isDateFormat('yyyy"年"m"月"') // true
 * @example isDateFormat('[h]:mm:ss') // false
 * @example isDateFormat('#,##0.00 "元"') // false
 */
export function isDateFormat(code: string): boolean {
  const tokens = dateTimeTokens(code);
  return tokens.some((token, i) => {
    if (token.letter === 'm') return !isMinutes(tokens, i);
    return token.letter === 'y' || token.letter === 'd' || token.letter === 'e';
  });
}

function isMinutes(tokens: readonly Token[], i: number): boolean {
  const token = tokens[i] as Token;
  if (token.length > 2) return false;
  return tokens[i - 1]?.letter === 'h' || tokens[i + 1]?.letter === 's';
}

function dateTimeTokens(code: string): Token[] {
  const tokens: Token[] = [];
  const lower = code.toLowerCase();
  const n = lower.length;
  let i = 0;
  outer: while (i < n) {
    const c = lower[i] as string;
    if (c === '"') {
      const end = lower.indexOf('"', i + 1);
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (c === '\\' || c === '_' || c === '*') {
      i += 2;
      continue;
    }
    if (c === '[') {
      const end = lower.indexOf(']', i + 1);
      const inner = lower.slice(i + 1, end < 0 ? n : end);
      // Elapsed time ([h], [mm], [ss]) is a time part; colours, conditions and locales are none.
      if (ELAPSED.test(inner))
        tokens.push({ letter: inner[0] === 'm' ? 'n' : (inner[0] as string), length: 1 });
      i = end < 0 ? n : end + 1;
      continue;
    }
    for (const word of SKIPPED_WORDS) {
      if (lower.startsWith(word, i)) {
        i += word.length;
        continue outer;
      }
    }
    if (c === 'e' && (lower[i + 1] === '+' || lower[i + 1] === '-')) {
      i += 2;
      continue;
    }
    if (DATE_TIME_LETTERS.includes(c)) {
      let end = i + 1;
      while (end < n && lower[end] === c) end++;
      tokens.push({ letter: c, length: end - i });
      i = end;
      continue;
    }
    i++;
  }
  return tokens;
}
