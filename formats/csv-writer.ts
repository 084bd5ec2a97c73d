/** Quotes a value per RFC 4180 where it needs quoting. */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CRLF-terminated CSV record. */
export function csvLine(values: readonly (string | number | undefined)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
