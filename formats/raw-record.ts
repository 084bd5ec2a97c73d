/**
 * One record of an uploaded file, before any domain validation.
 *
 * `row` is the contract's row number (data contract §2): the header record is row 0.
 * - CSV: the 1-based index of the record after the header; a multi-line quoted record counts once.
 * - XLSX: the sheet row number − 1, taken from the row's `r` attribute, so absent sheet rows keep
 *   the numbering the officer sees in Excel.
 *
 * `fields` are the raw, untrimmed cell texts in column order. In XLSX a missing cell is `''` at its
 * column position (column taken from the cell reference, `C5` → index 2); trailing missing cells are
 * not added, so a record may be shorter than the header (the consumer treats missing fields as empty).
 *
 * @example { row: 12, fields: ['440102199001011234', '张三', 'H-001', 'DIBAO', '650.00'] }
 */
export interface RawRecord {
  readonly row: number;
  readonly fields: string[];
}
