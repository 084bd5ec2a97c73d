/**
 * `text.substring(start, end)` as a string that shares no memory with `text`.
 *
 * V8 represents substrings of 13+ characters as slices that keep their whole parent string alive: a
 * field kept by a consumer long after its chunk of file text was parsed would keep that chunk (tens or
 * hundreds of KiB) in memory, and 1M kept IDs would keep the whole file's text. Shorter substrings are
 * copies already. On the roster benchmark this costs about a fifth of the CSV parser's speed, and
 * 1M kept 18-character IDs take ~110 MiB instead of ~200 MiB (the whole decoded text).
 */
export function copySubstring(text: string, start: number, end: number): string {
  const length = end - start;
  if (length < 13) return text.substring(start, end);
  if (length <= 24) {
    // Two halves under 13 characters are each copied; their concatenation refers only to them.
    const middle = start + (length >> 1);
    return text.substring(start, middle) + text.substring(middle, end);
  }
  return flattenString(text.substring(start, end));
}

/** A copy of `text` that shares no memory with a larger string (see {@link copySubstring}). */
export function flattenString(text: string): string {
  if (text.length < 13) return text;
  // Concatenating makes a new string; slicing it makes V8 flatten it into a copy the result refers to.
  return ` ${text}`.slice(1);
}
