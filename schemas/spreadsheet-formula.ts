/**
 * Contract 4: no CSV output may be read by a spreadsheet as a formula. Excel, LibreOffice and
 * WPS run a cell whose text begins with one of these as a formula (`=`, `+`, `-`, `@`), or drop
 * the leading tab or carriage return and then look at what follows.
 */
const FORMULA_FIRST = new Set([0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0d]);

/**
 * A plain decimal number: an optional sign, ASCII digits, optionally `.` and ASCII digits
 * (`-0.25`, `+5`, `12`). A spreadsheet reads it as that number, nothing else, so it stays as it
 * is; `-.5`, `1e5`, `+1+2` and `-` are not plain decimals.
 */
const PLAIN_DECIMAL = /^[+-]?\d+(?:\.\d+)?$/;

/** The mark contract 4 puts before a field that would start a formula. */
export const FORMULA_GUARD = "'";

/**
 * Whether a UTF-16 code unit is one with which a spreadsheet starts a formula when it opens the
 * cell (`=`, `+`, `-`, `@`, tab, carriage return).
 */
export function isFormulaCharacter(code: number): boolean {
  return FORMULA_FIRST.has(code);
}

/**
 * The text of a CSV output field as contract 4 writes it: with a leading `'` when it begins with
 * a formula character, unless the whole text is a plain decimal number. Returns the text itself
 * otherwise (the common case allocates nothing).
 * @example guardFormula('=1+2') // "'=1+2"
 * @example guardFormula('-0.25') // '-0.25'
 */
export function guardFormula(text: string): string {
  return text.length > 0 && FORMULA_FIRST.has(text.charCodeAt(0)) && !PLAIN_DECIMAL.test(text)
    ? `${FORMULA_GUARD}${text}`
    : text;
}

/**
 * The original text of a field the pipeline wrote with {@link guardFormula}: the `'` is dropped
 * exactly when the guard would have added it, so a value that really begins with `'` reads back
 * as written — unless a formula character follows that `'` (`'=1`): the contract writes such a
 * value as it is, and it reads back as `=1`, which is written again as `'=1` (the same bytes).
 * For reading the pipeline's own CSV outputs (the release, the month's indicators).
 * @example unguardFormula("'=1+2") // '=1+2'
 * @example unguardFormula("'O'Brien") // "'O'Brien"
 */
export function unguardFormula(text: string): string {
  if (!text.startsWith(FORMULA_GUARD)) return text;
  const rest = text.slice(FORMULA_GUARD.length);
  return guardFormula(rest) === rest ? text : rest;
}
