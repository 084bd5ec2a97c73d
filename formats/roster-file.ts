import { csvRecords } from './csv-records.ts';
import { fileTooLarge, limitBytes, MAX_FILE_BYTES } from './file-size-limit.ts';
import type { RawRecord } from './raw-record.ts';
import { NotUtf8Error } from './text-decoding.ts';
import { UnreadableFileError } from './unreadable-file-error.ts';
import { xlsxRecords } from './xlsx-records.ts';

export { MAX_FILE_BYTES } from './file-size-limit.ts';

/**
 * Yielded by {@link readRecords} when a CSV file turned out not to be UTF-8 after records were
 * already yielded: discard every record received so far; records start again from the first (row 0),
 * now decoded as GB18030. Yielded at most once per file.
 */
export const RESTART: unique symbol = Symbol('restart');
export type RestartMarker = typeof RESTART;

/** The reader for a file name, by extension (case-insensitive); `undefined` when unsupported. */
export function fileKind(fileName: string): 'csv' | 'xlsx' | undefined {
  const dot = fileName.lastIndexOf('.');
  if (dot < 0) return undefined;
  const extension = fileName.slice(dot + 1).toLowerCase();
  return extension === 'csv' ? 'csv' : extension === 'xlsx' ? 'xlsx' : undefined;
}

/**
 * Reads the records of an uploaded file in batches, in file order from row 0 (the header, unless a
 * roster has a title above it: see `RawRecord`).
 *
 * A CSV file is read optimistically as UTF-8 in one pass. Only when it turns out not to be valid UTF-8
 * is it opened again (`open()` is called a second time) and read as GB18030; if records were already
 * yielded by then, {@link RESTART} is yielded first and the consumer must discard them, e.g.
 *
 * ```ts
 * for await (const batch of readRecords(open, name, size)) {
 *   if (batch === RESTART) { staged.reset(); continue; }
 *   staged.add(batch);
 * }
 * ```
 *
 * A 0-byte file yields nothing (the consumer reports `EMPTY_FILE`).
 *
 * @param open opens a fresh byte stream of the file; called once, or twice for a non-UTF-8 CSV.
 * @param size the file size in bytes, as listed (checked against {@link MAX_FILE_BYTES} before reading).
 * @throws UnreadableFileError for an unsupported extension, an oversize file, or a file that cannot be
 *   decoded or parsed.
 */
export async function* readRecords(
  open: () => Promise<AsyncIterable<Uint8Array>>,
  fileName: string,
  size: number,
): AsyncGenerator<RawRecord[] | RestartMarker> {
  const kind = fileKind(fileName);
  if (kind === undefined) {
    throw new UnreadableFileError(
      '无法读取：仅支持 .csv 或 .xlsx 文件 / unsupported file type: only .csv and .xlsx files are read',
    );
  }
  if (size > MAX_FILE_BYTES) throw fileTooLarge(size);
  if (size === 0) return;
  if (kind === 'xlsx') {
    yield* xlsxRecords(await open(), { sizeHint: size });
    return;
  }
  let yielded = false;
  try {
    for await (const batch of csvRecords(limitBytes(await open()), 'utf-8')) {
      yielded = true;
      yield batch;
    }
    return;
  } catch (error) {
    if (!(error instanceof NotUtf8Error)) throw error;
  }
  if (yielded) yield RESTART;
  yield* csvRecords(limitBytes(await open()), 'gb18030');
}
