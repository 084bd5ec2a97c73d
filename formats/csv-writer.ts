import { guardFormula } from '#schemas/spreadsheet-formula.ts';

/**
 * One field of a CSV output: first guarded against spreadsheet formulas (contract 4: a leading
 * `'` before `=`, `+`, `-`, `@`, tab or carriage return, unless the field is a plain decimal
 * such as `-0.25`), then quoted per RFC 4180 where it needs quoting. Every CSV output the
 * pipeline writes goes through here.
 * @example csvField('=HYPERLINK("http://x","y")') // `"'=HYPERLINK(""http://x"",""y"")"`
 */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = guardFormula(String(value));
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CRLF-terminated CSV record, every field written by {@link csvField}. */
export function csvLine(values: readonly (string | number | undefined)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
