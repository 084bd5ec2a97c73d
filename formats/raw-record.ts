/**
 * One record of an uploaded file, before any domain validation.
 *
 * `row` is the record's 0-based position in the file:
 * - CSV: the index of the record; a multi-line quoted record counts once.
 * - XLSX: the sheet row number − 1, taken from the row's `r` attribute, so absent sheet rows keep
 *   the numbering the officer sees in Excel.
 *
 * So `row + 1` is the line (CSV, as a spreadsheet numbers it) or sheet row (XLSX) the officer sees.
 * When the header is the first record, as in every file but a roster with a title above its header
 * (data contract §2), `row` is also the contract's row number (the header is row 0).
 *
 * `fields` are the raw, untrimmed cell texts in column order. In XLSX a missing cell is `''` at its
 * column position (column taken from the cell reference, `C5` → index 2); trailing missing cells are
 * not added, so a record may be shorter than the header (the consumer treats missing fields as empty).
 *
 * `dates` (XLSX only, and only on a record with a date cell): `dates[i]` is the calendar date,
 * `YYYY-MM-DD`, that the date cell at field `i` shows — a number cell whose style has a date format
 * (its field keeps the stored number, e.g. `46296`) or an ISO date cell (`t="d"`). Other indexes
 * are empty.
 *
 * @example { row: 12, fields: ['440102199001011234', '张三', 'H-001', 'DIBAO', '650.00'] }
 * @example { row: 3, fields: ['张三', '46296'], dates: [undefined, '2026-10-01'] }
 */
export interface RawRecord {
  readonly row: number;
  readonly fields: string[];
  readonly dates?: readonly (string | undefined)[];
}
