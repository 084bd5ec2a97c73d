import { daysInMonth, splitMonth } from '#schemas/month.ts';

/** Result of checking a resident ID number. `reason` is bilingual and never contains the ID or its birth date. */
export type IdNumberCheck = { ok: true; id: string } | { ok: false; reason: string };

/**
 * Earliest birth year accepted. Nobody born before 1880 lived to see the 18-digit ID of
 * GB 11643-1999 (the oldest verified person, born 1875, died in 1997), so an earlier year is a
 * typing error. 1880 keeps the Gregorian century rule (29 Feb 1900 is not a date) testable.
 */
export const EARLIEST_BIRTH_YEAR = 1880;

/** How a reason names the birth date: by its place in the ID, never by its digits. */
const BIRTH_DATE_ZH = '出生日期（第 7–14 位）';
const BIRTH_DATE_EN = 'birth date (characters 7–14)';

/** MOD 11-2 check characters indexed by (Σ digit × weight) mod 11. */
const CHECK_CHARACTERS = '10X98765432';

/**
 * The GB 11643-1999 check character (MOD 11-2) of the first 17 digits of a resident ID.
 * The weights are 2^(17−i) mod 11, folded into a Horner loop.
 * @throws RangeError when `first17` is not exactly 17 ASCII digits.
 * @example idCheckCharacter('11010519491231002') // 'X'
 */
export function idCheckCharacter(first17: string): string {
  if (first17.length !== 17) throw new RangeError('expected 17 ASCII digits');
  let horner = 0;
  for (let i = 0; i < 17; i++) {
    const digit = first17.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) throw new RangeError('expected 17 ASCII digits');
    horner = horner * 2 + digit;
  }
  return CHECK_CHARACTERS.charAt((horner * 2) % 11);
}

let limitMonth = '';
let limitDate = 0;

/** The last day of the payment month as the number YYYYMMDD (memoised: one month per run). */
function latestBirthDate(month: string): number {
  if (month !== limitMonth) {
    const { year, monthNumber } = splitMonth(month);
    limitDate = year * 10000 + monthNumber * 100 + daysInMonth(year, monthNumber);
    limitMonth = month;
  }
  return limitDate;
}

/**
 * Checks an 18-character resident ID number (GB 11643-1999, contract 2.1) for a payment month.
 *
 * Rules, in the order they are tried:
 * - exactly 18 characters; a 15-digit old-format ID is rejected (the contract requires 18);
 *   an XLSX number shown in exponent form (`4.40102199001011E+17`) is rejected as precision lost;
 * - the first 17 are ASCII digits `0`–`9`; full-width digits (`０`–`９`) are rejected — they are
 *   not the digits of the standard and would not match the registry or partner files;
 * - the 18th is a digit or `X`; lower-case `x` is accepted and upper-cased;
 * - then both of: the MOD 11-2 check character, and the birth date (positions 7–14) being a real
 *   Gregorian date, in or after {@link EARLIEST_BIRTH_YEAR} and not after the last day of `month`.
 *   When both fail the reason names both.
 *
 * The value is taken as given: clean it first (see `cleanValue`).
 * @param month the payment month, `YYYY-MM`.
 * @returns the ID with `x` upper-cased, or a short bilingual reason (Chinese / English) that
 *   repeats no part of the ID but its check character (the ID is sensitive and travels in its own
 *   column; reports show it masked, and the birth date beside the masked ID would rebuild it).
 * @throws RangeError when `month` is not `YYYY-MM`.
 * @example checkIdNumber('11010519491231002x', '2026-10') // { ok: true, id: '11010519491231002X' }
 */
export function checkIdNumber(value: string, month: string): IdNumberCheck {
  const reason = idNumberProblem(value, month);
  if (reason !== undefined) return { ok: false, reason };
  return { ok: true, id: value.charCodeAt(17) === 0x78 ? `${value.slice(0, 17)}X` : value };
}

/**
 * Why an ID number is invalid for a payment month — the rules of {@link checkIdNumber}, without
 * allocating anything for a valid ID (the row validator's hot path).
 * @returns the bilingual reason, or `undefined` when the ID is valid.
 * @throws RangeError when `month` is not `YYYY-MM`.
 */
export function idNumberProblem(value: string, month: string): string | undefined {
  const latest = latestBirthDate(month);
  if (value.length !== 18) return lengthProblem(value);
  let horner = 0;
  for (let i = 0; i < 17; i++) {
    const digit = value.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return characterProblem(value);
    horner = horner * 2 + digit;
  }
  let last = value.charCodeAt(17);
  if (last === 0x78) last = 0x58;
  if (last !== 0x58 && (last < 0x30 || last > 0x39)) return characterProblem(value);

  const expected = CHECK_CHARACTERS.charCodeAt((horner * 2) % 11);
  const year = digitsAt(value, 6, 4);
  const monthNumber = digitsAt(value, 10, 2);
  const day = digitsAt(value, 12, 2);
  const birth = year * 10000 + monthNumber * 100 + day;
  const realDate = monthNumber >= 1 && monthNumber <= 12 && day >= 1 && day <= daysInMonth(year, monthNumber);
  if (expected === last && realDate && year >= EARLIEST_BIRTH_YEAR && birth <= latest) {
    return undefined;
  }

  const zh: string[] = [];
  const en: string[] = [];
  if (expected !== last) {
    const want = String.fromCharCode(expected);
    const got = String.fromCharCode(last);
    zh.push(`校验位应为 ${want}，实为 ${got}`);
    en.push(`check character should be ${want}, is ${got}`);
  }
  // The date itself is never repeated: beside the masked ID (first 6 and last 4 characters) the
  // birth date (characters 7–14) would rebuild the whole ID. The officer has the row.
  if (!realDate) {
    zh.push(`${BIRTH_DATE_ZH}不是有效日期`);
    en.push(`${BIRTH_DATE_EN} is not a real date`);
  } else if (year < EARLIEST_BIRTH_YEAR) {
    zh.push(`${BIRTH_DATE_ZH}早于 ${EARLIEST_BIRTH_YEAR} 年`);
    en.push(`${BIRTH_DATE_EN} is before ${EARLIEST_BIRTH_YEAR}`);
  } else if (birth > latest) {
    zh.push(`${BIRTH_DATE_ZH}晚于发放月份 ${month}`);
    en.push(`${BIRTH_DATE_EN} is after the payment month ${month}`);
  }
  return `${zh.join('；')} / ${en.join('; ')}`;
}

/**
 * Masks an ID number for anything shown on a page or sent by notification (contract section 4):
 * the first 6 and last 4 characters stay, the rest become `*` (`442000********123X`).
 * Only values of 15 characters or more (the old and new ID lengths) keep those 10 characters;
 * a shorter value would be mostly revealed, so it is masked entirely, keeping its length.
 * Counts Unicode code points, so a mis-typed value with non-BMP characters is masked whole.
 * @example maskIdNumber('44200019800101123X') // '442000********123X'
 */
export function maskIdNumber(id: string): string {
  const chars = Array.from(id);
  if (chars.length < 15) return '*'.repeat(chars.length);
  return `${chars.slice(0, 6).join('')}${'*'.repeat(chars.length - 10)}${chars.slice(-4).join('')}`;
}

function digitsAt(value: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) n = n * 10 + (value.charCodeAt(i) - 0x30);
  return n;
}

const EXPONENT_FORM = /^\d(\.\d+)?[eE]\+?\d+$/;
const EXPONENT_REASON =
  '身份证号被存成数值（科学计数法），末位已丢失，请将该列设为文本 / ID number stored as a number in exponent form, digits lost (store the column as text)';

function lengthProblem(value: string): string {
  if (EXPONENT_FORM.test(value)) return EXPONENT_REASON;
  const length = Array.from(value).length;
  if (length === 15 && /^\d{15}$/.test(value)) {
    return '15 位旧身份证号不受理，须为 18 位 / 15-digit old-format ID not accepted, must be 18 characters';
  }
  return `身份证号应为 18 位，实为 ${length} 位 / ID number must be 18 characters, is ${length}`;
}

function characterProblem(value: string): string {
  if (EXPONENT_FORM.test(value)) return EXPONENT_REASON;
  if (/[\uff10-\uff19\uff38\uff58]/.test(value)) {
    return '身份证号含全角字符，须为半角数字和 X / ID number has full-width characters, must be ASCII digits and X';
  }
  return '身份证号须为 17 位数字加数字或 X / ID number must be 17 digits followed by a digit or X';
}

/**
 * An ID-like run: 17 or more digits, then a digit or X. The whole run is taken (not just 18
 * characters of it), so the 4 characters masking keeps cannot join the rest of a longer run
 * into a new ID-like run.
 */
const ID_LIKE = /\d{17,}[\dXx]/g;

/**
 * Masks every ID-like run (`\d{17}[\dXx]` and longer) in a text with `maskIdNumber`: for text
 * that is shown or sent (contract section 4). Afterwards the text holds no `\d{17}[\dXx]`. Text a
 * person typed, where an ID may come spaced or dashed, goes through `personal-numbers-in-text.ts`.
 * @example maskIdsInText('张三 44200019800101123X') // '张三 442000********123X'
 */
export function maskIdsInText(text: string): string {
  return text.replace(ID_LIKE, (id) => maskIdNumber(id));
}
