import { displayYuan } from '#schemas/money.ts';
import { displayCount, groupThousands } from './display-number.ts';

/** Shown in place of a number that cannot be written (not finite, or fen that are not an integer). */
export const NO_NUMBER = '—';

/**
 * {@link displayYuan} for a report that must render whatever it is given: fen that are not a
 * safe integer are shown as {@link NO_NUMBER} instead of throwing.
 * @example reportYuan(123456789) // '1,234,567.89'
 */
export function reportYuan(fen: number): string {
  return Number.isSafeInteger(fen) ? displayYuan(fen) : NO_NUMBER;
}

/**
 * A count with thousands separators; a count that is not a safe integer is written as a
 * measure ({@link reportMeasure}) and a non-finite one as {@link NO_NUMBER}.
 * @example reportCount(12345) // '12,345'
 */
export function reportCount(count: number): string {
  return Number.isSafeInteger(count) ? displayCount(count) : reportMeasure(count);
}

/**
 * A measured value (growth, ratio, score): 3 decimals below 1, 2 below 100, 1 above, thousands
 * separated; exponent notation from a billion, so no long run of digits is ever written.
 * @example reportMeasure(0.12345) // '0.123'
 * @example reportMeasure(-1234.56) // '-1,234.6'
 */
export function reportMeasure(value: number): string {
  if (!Number.isFinite(value)) return NO_NUMBER;
  const size = Math.abs(value);
  if (size >= 1e9) return value.toExponential(2);
  const fixed = value.toFixed(size < 1 ? 3 : size < 100 ? 2 : 1);
  const unsigned = fixed.replace(/^-/, '');
  const sign = fixed.startsWith('-') && /[1-9]/.test(unsigned) ? '-' : '';
  const [integer = '0', fraction = ''] = unsigned.split('.');
  return `${sign}${groupThousands(integer)}.${fraction}`;
}

/**
 * Splits a long token (a SHA-256, a seed) into groups of 8 characters separated by spaces, so it
 * stays readable and never forms a run of digits an ID check would take for an ID number.
 * @example groupInEights('ab12cd34ef567890') // 'ab12cd34 ef567890'
 */
export function groupInEights(token: string): string {
  return (token.match(/.{1,8}/gsu) ?? []).join(' ');
}
