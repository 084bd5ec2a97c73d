import { quoteValue } from '#schemas/quote-value.ts';

/**
 * Money (contract 2, 2.1, 2.3, 3.4, 4): integer fen inside, yuan text outside, never a binary
 * float in between. One function per form the contract lets an amount take:
 *
 * | form | where | reads |
 * | --- | --- | --- |
 * | roster amount | roster `amount` (2.1) | {@link parseRosterAmount}: plain decimal, > 0, ≤ 100000.00 |
 * | roster total | the `amount` of a roster's total line (2) | {@link parseRosterTotal}: plain decimal, ≥ 0, no cap |
 * | partner amount | `approved_amount`, `contribution_base`, `pension_amount` (2.3) | {@link parsePartnerAmount}: plain decimal, ≥ 0 |
 * | bank amount | bank-return `amount` (3.4), and the pipeline's own files read back | {@link parseBankAmount}: as a partner amount, with the reason it is not one |
 * | config yuan | `config/pipeline.json` numbers (2.3) | {@link configYuanToFen}: a JSON number, as a partner amount |
 * | output | every CSV, message and detail (4) | {@link formatFen}: exactly 2 decimals |
 * | page | the approval and report pages | {@link displayYuan}: exactly 2 decimals, thousands separated |
 *
 * A plain decimal is ASCII digits, optionally `.` and 1–2 digits: no sign, no thousands
 * separator, no exponent, no bare `.5` or `5.`, no full-width digits, no inner white space.
 * Leading zeros are accepted (`0100.50` is 100.50 yuan: spreadsheets and bank templates write
 * them and the value is unambiguous). Values are taken as given: clean them first (`cleanValue`).
 */

/** Highest roster amount of one payment, in fen: 100000.00 yuan (contract 2.1). */
export const MAX_ROSTER_AMOUNT_FEN = 10_000_000;

/**
 * Highest amount of any other form, in fen: the largest integer a JS number holds exactly
 * (90071992547409.91 yuan; no partner, bank or setting means more).
 */
export const MAX_AMOUNT_FEN = Number.MAX_SAFE_INTEGER;

/** A parsed amount, or why the text is not one. */
export type AmountParse = { ok: true; fen: number } | { ok: false; reason: string };

/** {@link plainFen}'s answer for text that is not a plain decimal. */
const NOT_PLAIN = -1;
/** {@link plainFen}'s answer for a plain decimal above {@link MAX_AMOUNT_FEN}. */
const TOO_LARGE = -2;

/**
 * The fen of a plain decimal, {@link NOT_PLAIN} or {@link TOO_LARGE}: the one reading of the
 * contract's amount text that every form shares. A char-code loop (staging reads millions of
 * partner amounts); the digits are accumulated exactly and stop counting once past
 * {@link MAX_AMOUNT_FEN}, so an integer part of any length is judged without overflow, and text
 * that is not plain is `NOT_PLAIN` however large it would be.
 */
function plainFen(value: string): number {
  const length = value.length;
  let yuan = 0;
  let over = false;
  let i = 0;
  for (; i < length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x2e) break;
    const digit = c - 0x30;
    if (digit < 0 || digit > 9) return NOT_PLAIN;
    if (!over) {
      yuan = yuan * 10 + digit;
      over = yuan > MAX_AMOUNT_FEN / 100;
    }
  }
  if (i === 0) return NOT_PLAIN;
  let cents = 0;
  if (i < length) {
    const decimals = length - i - 1;
    if (decimals < 1 || decimals > 2) return NOT_PLAIN;
    const tenths = value.charCodeAt(i + 1) - 0x30;
    const hundredths = decimals === 2 ? value.charCodeAt(i + 2) - 0x30 : 0;
    if (tenths < 0 || tenths > 9 || hundredths < 0 || hundredths > 9) return NOT_PLAIN;
    cents = tenths * 10 + hundredths;
  }
  if (over) return TOO_LARGE;
  // Exact: yuan ≤ 90071992547409, so yuan × 100 + cents stays below 2^53 + 100.
  const fen = yuan * 100 + cents;
  return fen <= MAX_AMOUNT_FEN ? fen : TOO_LARGE;
}

/**
 * Reads a roster amount (contract 2.1) as integer fen: a plain decimal greater than 0 and at most
 * 100000.00. The reason is bilingual (Chinese / English): it is the `INVALID_AMOUNT` detail a
 * town officer reads.
 * @example parseRosterAmount('1234.5') // { ok: true, fen: 123450 }
 * @example parseRosterAmount('0') // { ok: false, reason: '金额须大于 0 / amount must be greater than 0' }
 */
export function parseRosterAmount(value: string): AmountParse {
  const fen = plainFen(value);
  if (fen === NOT_PLAIN) {
    return {
      ok: false,
      reason: `金额须为不超过两位小数的正数 / amount ${quoteValue(value)} is not a plain decimal with at most 2 decimals`,
    };
  }
  if (fen === 0) return { ok: false, reason: '金额须大于 0 / amount must be greater than 0' };
  if (fen === TOO_LARGE || fen > MAX_ROSTER_AMOUNT_FEN) {
    return { ok: false, reason: `金额不得超过 100000.00 / amount ${quoteValue(value)} is over 100000.00` };
  }
  return { ok: true, fen };
}

/**
 * Reads the amount a roster's total line states (contract 2: the `合计` line) as integer fen: a
 * plain decimal with at most 2 decimals, like a roster amount but without its cap (a town's total
 * is far above 100000.00) and with `0` accepted (a roster whose every amount is invalid sums to
 * 0.00). A thousands separator (`85,632.50`), a currency sign or a unit is not the form: the
 * reason is bilingual, for the `TOTAL_MISMATCH` detail a town officer reads.
 * @example parseRosterTotal('85632.5') // { ok: true, fen: 8563250 }
 * @example parseRosterTotal('85,632.50').ok // false
 */
export function parseRosterTotal(value: string): AmountParse {
  const fen = plainFen(value);
  if (fen === NOT_PLAIN) {
    return {
      ok: false,
      reason: `合计金额 ${quoteValue(value)} 不是不超过两位小数的数字（不得含千位分隔符） / the total ${quoteValue(value)} is not a plain decimal with at most 2 decimals (no thousands separator)`,
    };
  }
  if (fen === TOO_LARGE) {
    return {
      ok: false,
      reason: `合计金额 ${quoteValue(value)} 过大 / the total ${quoteValue(value)} is too large`,
    };
  }
  return { ok: true, fen };
}

/**
 * Reads a partner or registry amount (contract 2.3: `approved_amount`, `contribution_base`,
 * `pension_amount`) as integer fen: a plain decimal of at most {@link MAX_AMOUNT_FEN} fen. Unlike
 * a roster amount there is no cap of 100000.00 and `0` is accepted: a contribution base may be
 * large, and a pension of `0.00` is a fact, not an error.
 * @returns the fen, or `undefined` when the text is empty or not such an amount (the dataset's
 *   row schema words the reason).
 * @example parsePartnerAmount('23000.5') // 2300050
 */
export function parsePartnerAmount(value: string): number | undefined {
  const fen = plainFen(value);
  return fen >= 0 ? fen : undefined;
}

/**
 * Reads a bank-return amount (contract 3.4) as integer fen: what {@link parsePartnerAmount}
 * accepts (`0.00` is the bank saying it paid nothing; an amount over 100000.00 is a mismatch, not
 * a bad line), with the reason, in English, when it is not one. The pipeline reads its own amount
 * columns back in this form too (`release.csv`, `metrics/{month}.csv`).
 * @example parseBankAmount('0.00') // { ok: true, fen: 0 }
 * @example parseBankAmount('1,200') // { ok: false, reason: 'amount "1,200" is not a plain decimal with at most 2 decimals' }
 */
export function parseBankAmount(value: string): AmountParse {
  if (value === '') return { ok: false, reason: 'amount is empty' };
  const fen = plainFen(value);
  if (fen === NOT_PLAIN) {
    return {
      ok: false,
      reason: `amount ${quoteValue(value)} is not a plain decimal with at most 2 decimals`,
    };
  }
  if (fen === TOO_LARGE) return { ok: false, reason: `amount ${quoteValue(value)} is too large` };
  return { ok: true, fen };
}

/**
 * Reads a number of yuan from `config/pipeline.json` (contract 2.3) as integer fen, from the
 * number's shortest decimal text (`String(2300.1)` is `'2300.1'`), never by multiplying a binary
 * float: `2300.1` is exactly 230010 fen. That text must be a partner amount: a negative value, one
 * with more than 2 decimals (`0.1 + 0.2`), one written with an exponent (`1e21`) or one above
 * {@link MAX_AMOUNT_FEN} fen is not; 0 is.
 * @returns the fen, or `undefined` when the number is no such amount.
 * @example configYuanToFen(1600.5) // 160050
 */
export function configYuanToFen(yuan: number): number | undefined {
  return parsePartnerAmount(String(yuan));
}

/**
 * Writes integer fen as yuan with exactly 2 decimals (contract section 4), `-` before a negative
 * amount (a difference).
 * @throws RangeError when `fen` is not a safe integer.
 * @example formatFen(123450) // '1234.50'
 */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`fen must be a safe integer, got ${fen}`);
  const digits = String(Math.abs(fen)).padStart(3, '0');
  return `${fen < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/**
 * Writes integer fen as yuan for a page: {@link formatFen}'s text with `,` between thousands
 * (`123456789` → `1,234,567.89`). For display only; files carry {@link formatFen}'s form.
 * @throws RangeError when `fen` is not a safe integer.
 */
export function displayYuan(fen: number): string {
  const plain = formatFen(fen);
  const point = plain.indexOf('.');
  return `${plain.slice(0, point).replace(/\B(?=(\d{3})+$)/g, ',')}${plain.slice(point)}`;
}

/**
 * Reads an amount an officer typed into the case workbook or the outcome form (issue 11: money
 * found over-paid, under-paid, paid wrongly, recovered) as integer fen: a plain decimal ≥ 0 with at
 * most 2 decimals; empty is 0. The reason is bilingual: the officer reads it in the import report.
 * @example parseCaseAmount('1180.5') // { ok: true, fen: 118050 }
 * @example parseCaseAmount('') // { ok: true, fen: 0 }
 */
export function parseCaseAmount(value: string): AmountParse {
  if (value === '') return { ok: true, fen: 0 };
  const fen = plainFen(value);
  if (fen === NOT_PLAIN || fen === TOO_LARGE) {
    return {
      ok: false,
      reason: `金额 ${quoteValue(value)} 须为不超过两位小数的非负数（不含千位分隔符） / amount ${quoteValue(value)} must be a non-negative plain decimal with at most 2 decimals`,
    };
  }
  return { ok: true, fen };
}
