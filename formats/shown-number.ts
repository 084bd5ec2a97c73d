/** Significant digits Excel keeps and shows of a number. */
const EXCEL_DIGITS = 15;
/** Decimal text with more than 2 decimals, or in exponent form: what a double's noise looks like. */
const NOISY_NUMBER = /^-?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?$/;
const PLAIN_2_DECIMALS = /^-?\d+(?:\.\d{1,2})?$/;

/**
 * The number a spreadsheet cell shows for its stored number, at Excel's 15 significant digits.
 * A formula's cached result carries the noise of binary arithmetic (`=SUM(…)` of amounts with 2
 * decimals may be stored as `85632.499999999985`), which Excel never shows: the cell says
 * `85632.5`. Text that is already a plain decimal with at most 2 decimals, or no number, is
 * returned as it is; so is a number Excel would show in exponent form.
 * @example spreadsheetShownNumber('85632.499999999985') // '85632.5'
 * @example spreadsheetShownNumber('1800.3000000000002') // '1800.3'
 * @example spreadsheetShownNumber('85632.505') // '85632.505'
 */
export function spreadsheetShownNumber(stored: string): string {
  if (PLAIN_2_DECIMALS.test(stored) || !NOISY_NUMBER.test(stored)) return stored;
  const value = Number(stored);
  if (!Number.isFinite(value)) return stored;
  const shown = value.toPrecision(EXCEL_DIGITS);
  if (shown.includes('e')) return stored;
  return shown.includes('.') ? shown.replace(/\.?0+$/, '') : shown;
}
