import { UnreadableFileError } from './unreadable-file-error.ts';

/**
 * What an XLSX roster may hold before it is `UNREADABLE_FILE`. An XLSX is a ZIP archive: a file
 * within the contract's 512 MiB may inflate a thousandfold (a "zip bomb" of repeated rows: 2 MB
 * holding a million rows), so the reader bounds what it inflates and keeps, not only what it reads.
 *
 * - `partBytes`: inflated bytes of one part (the sheet, the shared strings). 1 GiB, twice the
 *   contract's file limit: a sheet of Excel's 1,048,576 rows with the roster's ten columns is
 *   400–600 MiB as Excel or a script writes it, so no real roster comes near; inflating and
 *   scanning 1 GiB takes about half a minute, well inside the ingest's 15 minutes.
 * - `sharedStrings`: strings in the shared string table, which is held in memory while the sheet
 *   is read. 2^23 = 8,388,608: eight distinct texts per row at Excel's row limit (a roster has at
 *   most six per row that differ from row to row: ID, name, household, account, holder, remark).
 * - `sharedStringChars`: characters of all shared strings together, 2^27 = 134,217,728 (16 per
 *   string at the count limit; at most ~256 MiB in memory even for Chinese text).
 *
 * Excel's own limits hold too, whatever the options: {@link MAX_SHEET_ROWS} rows and
 * {@link MAX_CELL_CHARS} characters in a cell (a shared string is a cell's text).
 */
export interface XlsxLimits {
  readonly partBytes: number;
  readonly sharedStrings: number;
  readonly sharedStringChars: number;
}

/** The limits every roster is read with; tests may pass smaller ones to the XLSX reader. */
export const XLSX_LIMITS: XlsxLimits = {
  partBytes: 1024 * 1024 * 1024,
  sharedStrings: 2 ** 23,
  sharedStringChars: 2 ** 27,
};

/** Excel's row limit: a worksheet has rows 1 to 1,048,576. */
export const MAX_SHEET_ROWS = 1_048_576;

/** Excel's limit on the characters in one cell. */
export const MAX_CELL_CHARS = 32_767;

/** Excel's limit on the cell formats of a workbook (its styles part's `xf` and `numFmt` entries). */
export const MAX_CELL_FORMATS = 65_490;

const grouped = (n: number) => n.toLocaleString('en-US');

/** `1 GiB`, `64 MiB`, or the byte count when it is no whole number of KiB/MiB/GiB. */
function bytesText(n: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (n >= size && n % size === 0) return `${n / size} ${unit}`;
  }
  return `${grouped(n)} bytes`;
}

/** An XLSX that goes beyond one of the limits above: the reason names the limit. */
function overLimit(chinese: string, english: string): UnreadableFileError {
  return new UnreadableFileError(`无法读取 XLSX：${chinese} / XLSX over a limit: ${english}`);
}

/** A part that would inflate to more than `limit` bytes. */
export function partTooLarge(part: string, size: number, limit: number): UnreadableFileError {
  return overLimit(
    `部件 ${part} 解压后为 ${grouped(size)} 字节，超过每个部件 ${bytesText(limit)} 的上限`,
    `part ${part} inflates to ${grouped(size)} bytes, over the limit of ${bytesText(limit)} per part`,
  );
}

/** A sheet row beyond Excel's last row. */
export function tooManyRows(part: string): UnreadableFileError {
  return overLimit(
    `工作表 ${part} 超过 Excel 的 ${grouped(MAX_SHEET_ROWS)} 行上限`,
    `worksheet ${part} goes beyond Excel's limit of ${grouped(MAX_SHEET_ROWS)} rows`,
  );
}

/** A cell (or shared string) longer than Excel allows. */
export function cellTooLong(part: string): UnreadableFileError {
  return overLimit(
    `${part} 中有文本超过 Excel 单元格 ${grouped(MAX_CELL_CHARS)} 个字符的上限`,
    `a text in ${part} is longer than Excel's limit of ${grouped(MAX_CELL_CHARS)} characters per cell`,
  );
}

/** A shared string table with more strings than `limit`. */
export function tooManySharedStrings(part: string, limit: number): UnreadableFileError {
  return overLimit(
    `共享字符串表 ${part} 超过 ${grouped(limit)} 个字符串的上限`,
    `shared string table ${part} holds more than the limit of ${grouped(limit)} strings`,
  );
}

/** A shared string table longer in all than `limit` characters. */
export function sharedStringsTooLong(part: string, limit: number): UnreadableFileError {
  return overLimit(
    `共享字符串表 ${part} 的总长度超过 ${grouped(limit)} 个字符的上限`,
    `shared string table ${part} holds more than the limit of ${grouped(limit)} characters in all`,
  );
}

/** A styles part with more cell formats (or number formats) than Excel allows. */
export function tooManyCellFormats(part: string): UnreadableFileError {
  return overLimit(
    `样式表 ${part} 超过 Excel 的 ${grouped(MAX_CELL_FORMATS)} 种单元格格式上限`,
    `styles part ${part} holds more than Excel's limit of ${grouped(MAX_CELL_FORMATS)} cell formats`,
  );
}
