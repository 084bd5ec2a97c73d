/** Longest part of a user value repeated in a finding's detail, in code points. */
export const QUOTED_VALUE_LIMIT = 30;

/**
 * Quotes a value the officer typed for a finding's detail, shortened to
 * {@link QUOTED_VALUE_LIMIT} code points (then ending in `…`) so a runaway cell cannot flood
 * the report. Never use it for ID numbers, names or accounts: those are sensitive.
 * @example quoteValue('1,200') // '"1,200"'
 */
export function quoteValue(value: string): string {
  // Code points never outnumber UTF-16 units: most values need no splitting.
  if (value.length <= QUOTED_VALUE_LIMIT) return `"${value}"`;
  const chars = Array.from(value);
  return chars.length <= QUOTED_VALUE_LIMIT
    ? `"${value}"`
    : `"${chars.slice(0, QUOTED_VALUE_LIMIT).join('')}…"`;
}
