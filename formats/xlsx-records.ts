import { readDateStyles } from './date-styles.ts';
import { fileTooLarge, MAX_FILE_BYTES } from './file-size-limit.ts';
import { decodePartText } from './part-text.ts';
import type { RawRecord } from './raw-record.ts';
import { readSharedStrings } from './shared-strings.ts';
import { SheetRowsScanner } from './sheet-rows.ts';
import { locateWorkbookParts } from './workbook-parts.ts';
import { partTooLarge, XLSX_LIMITS, type XlsxLimits } from './xlsx-limits.ts';
import { ZipArchive, type ZipEntry } from './zip-archive.ts';

/** Options of {@link xlsxRecords}. */
export interface XlsxReadOptions {
  /**
   * The file size, if known: the compressed bytes are then gathered into one buffer of that size,
   * instead of growing one (which briefly needs up to twice the memory).
   * @default undefined (grow as bytes arrive)
   */
  readonly sizeHint?: number;
  /**
   * What the workbook may hold (smaller limits let tests reach them with small files).
   * @default XLSX_LIMITS
   */
  readonly limits?: XlsxLimits;
}

/**
 * Reads the records of the first worksheet of an XLSX file, in batches (never empty), sheet row 1
 * first (row 0). See {@link SheetRowsScanner} for row numbers and cell values, and {@link RawRecord}
 * for the dates of date cells (styles with a built-in or custom date format, in the workbook's
 * 1900 or 1904 date system).
 *
 * The compressed file is held in memory (at most 512 MiB), the shared strings table and the list of
 * date styles too; the sheet itself is inflated and scanned in chunks, so its XML is never held whole.
 *
 * @throws UnreadableFileError for a corrupt ZIP, missing workbook or sheet parts, malformed XML, or a
 *   workbook over one of the {@link XlsxLimits} or Excel's own limits (the reason names the limit).
 */
export async function* xlsxRecords(
  bytes: AsyncIterable<Uint8Array>,
  options: XlsxReadOptions = {},
): AsyncGenerator<RawRecord[]> {
  const zip = new ZipArchive(await gather(bytes, options.sizeHint));
  const parts = await locateWorkbookParts(zip);
  const limits = options.limits ?? XLSX_LIMITS;
  // The inflated size is checked against the declared one as it inflates: checking the declared
  // size first refuses a bomb before any work.
  const bounded = (entry: ZipEntry) => {
    if (entry.uncompressedSize > limits.partBytes)
      throw partTooLarge(entry.name, entry.uncompressedSize, limits.partBytes);
    return entry;
  };
  const sharedStrings = parts.sharedStrings
    ? await readSharedStrings(zip, bounded(parts.sharedStrings), limits)
    : [];
  const dateStyles = await readDateStyles(zip, parts.styles && bounded(parts.styles));
  bounded(parts.sheet);
  const scanner = new SheetRowsScanner(parts.sheet.name, sharedStrings, {
    styles: dateStyles,
    system: parts.dateSystem,
  });
  for await (const text of decodePartText(zip, parts.sheet)) {
    scanner.push(text);
    const records = scanner.take();
    if (records.length > 0) yield records;
  }
  scanner.end();
  const records = scanner.take();
  if (records.length > 0) yield records;
}

async function gather(bytes: AsyncIterable<Uint8Array>, sizeHint: number | undefined): Promise<Uint8Array> {
  let buffer = new Uint8Array(Math.min(Math.max(sizeHint ?? 0, 64 * 1024), MAX_FILE_BYTES));
  let length = 0;
  for await (const chunk of bytes) {
    if (length + chunk.length > buffer.length) {
      if (length + chunk.length > MAX_FILE_BYTES) throw fileTooLarge(length + chunk.length);
      const grown = new Uint8Array(
        Math.min(Math.max(buffer.length * 2, length + chunk.length), MAX_FILE_BYTES),
      );
      grown.set(buffer.subarray(0, length));
      buffer = grown;
    }
    buffer.set(chunk, length);
    length += chunk.length;
  }
  return buffer.subarray(0, length);
}
