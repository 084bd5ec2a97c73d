import { UnreadableFileError } from './unreadable-file-error.ts';

/** Files over this size are `UNREADABLE_FILE` (data contract §2): 512 MiB. */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

/** The reason given for a file over {@link MAX_FILE_BYTES}. */
export function fileTooLarge(size: number): UnreadableFileError {
  return new UnreadableFileError(
    `无法读取：文件超过 512 MiB 上限 / file too large: ${size} bytes, the limit is 512 MiB`,
  );
}

/**
 * Passes the chunks through, failing as soon as more than {@link MAX_FILE_BYTES} went by: the listed
 * size is checked up front, this guards against a stream longer than listed.
 */
export async function* limitBytes(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of bytes) {
    total += chunk.length;
    if (total > MAX_FILE_BYTES) throw fileTooLarge(total);
    yield chunk;
  }
}
