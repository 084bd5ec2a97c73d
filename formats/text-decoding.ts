import { UnreadableFileError } from './unreadable-file-error.ts';

/** The text encodings a roster CSV may use (data contract §2). */
export type TextEncoding = 'utf-8' | 'gb18030';

/**
 * The bytes are not valid UTF-8. Thrown by {@link decodeText} in `'utf-8'` mode so the caller can
 * start again from a fresh byte stream in `'gb18030'` mode (the contract's "a file that is valid UTF-8
 * is UTF-8; otherwise it is read as GB18030").
 */
export class NotUtf8Error extends Error {
  override name = 'NotUtf8Error';

  constructor() {
    super('the bytes are not valid UTF-8');
  }
}

const BOM = 0xfeff;

/**
 * Decodes a byte stream chunk by chunk, yielding one string per non-empty decoded chunk, so the whole
 * text is never held. Multi-byte characters split across chunks are carried over. A leading byte order
 * mark is dropped (the UTF-8 BOM, and the GB18030 one, which decodes to U+FEFF).
 *
 * @throws NotUtf8Error in `'utf-8'` mode as soon as the bytes are not valid UTF-8 (possibly after
 *   strings were yielded: the caller must discard them).
 * @throws UnreadableFileError in `'gb18030'` mode when the bytes are not valid GB18030.
 */
export async function* decodeText(
  bytes: AsyncIterable<Uint8Array>,
  encoding: TextEncoding,
): AsyncGenerator<string> {
  // fatal: invalid bytes must be detected, not replaced by U+FFFD; ignoreBOM false strips a UTF-8 BOM.
  const decoder = new TextDecoder(encoding, { fatal: true });
  let atStart = true;
  const decode = (chunk?: Uint8Array): string => {
    let text: string;
    try {
      text = chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
    } catch (error) {
      if (!isInvalidDataError(error)) throw error;
      if (encoding === 'utf-8') throw new NotUtf8Error();
      throw new UnreadableFileError(
        '无法解码：文件既不是有效的 UTF-8 也不是有效的 GB18030 编码 / cannot decode: the file is neither valid UTF-8 nor valid GB18030',
      );
    }
    if (atStart && text.length > 0) {
      atStart = false;
      if (text.charCodeAt(0) === BOM) return text.slice(1);
    }
    return text;
  };
  for await (const chunk of bytes) {
    const text = decode(chunk);
    if (text.length > 0) yield text;
  }
  const rest = decode();
  if (rest.length > 0) yield rest;
}

function isInvalidDataError(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    (error as NodeJS.ErrnoException).code === 'ERR_ENCODING_INVALID_ENCODED_DATA'
  );
}
