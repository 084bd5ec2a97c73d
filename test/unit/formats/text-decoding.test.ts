import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText, NotUtf8Error } from '#formats/text-decoding.ts';
import { UnreadableFileError } from '#formats/unreadable-file-error.ts';
import { everyBytes, readError, streamOf, utf8 } from '../../fixtures/formats/byte-streams.ts';

async function decodeAll(...args: Parameters<typeof decodeText>): Promise<string> {
  let text = '';
  for await (const chunk of decodeText(...args)) text += chunk;
  return text;
}

describe('decodeText', () => {
  it('decodes UTF-8 split inside multi-byte characters', async () => {
    // Prepare
    const bytes = utf8('身份证号,姓名\n😀张三\n');

    // Act
    const text = await decodeAll(streamOf(bytes, everyBytes(bytes.length, 1)), 'utf-8');

    // Assess
    expect(text).toBe('身份证号,姓名\n😀张三\n');
  });

  it('drops a UTF-8 byte order mark, even split across chunks', async () => {
    // Prepare
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('a,b')]);

    // Act
    const text = await decodeAll(streamOf(bytes, [1, 2]), 'utf-8');

    // Assess
    expect(text).toBe('a,b');
  });

  it('decodes GB18030, split anywhere, and drops its byte order mark', async () => {
    // Prepare
    const bytes = new Uint8Array([
      0x84,
      0x31,
      0x95,
      0x33,
      ...iconv.encode('身份证号,姓名\n440102199001011234,张三\n', 'gb18030'),
    ]);

    // Act
    const text = await decodeAll(streamOf(bytes, everyBytes(bytes.length, 3)), 'gb18030');

    // Assess
    expect(text).toBe('身份证号,姓名\n440102199001011234,张三\n');
  });

  it('throws NotUtf8Error for bytes that are not UTF-8, also when cut short at the end', async () => {
    // Prepare
    const gb = iconv.encode('姓名', 'gb18030');
    const truncated = utf8('姓名').subarray(0, 4);

    // Act
    const errors = [
      await readError(decodeText(streamOf(gb), 'utf-8')),
      await readError(decodeText(streamOf(truncated), 'utf-8')),
    ];

    // Assess
    expect(errors[0]).toBeInstanceOf(NotUtf8Error);
    expect(errors[1]).toBeInstanceOf(NotUtf8Error);
  });

  it('throws UnreadableFileError for bytes that are not GB18030 either', async () => {
    // Prepare
    const bytes = new Uint8Array([0x61, 0xff, 0xff, 0xff, 0x62]);

    // Act
    const error = await readError(decodeText(streamOf(bytes), 'gb18030'));

    // Assess
    expect(error).toBeInstanceOf(UnreadableFileError);
    expect((error as UnreadableFileError).reason).toContain('neither valid UTF-8 nor valid GB18030');
  });
});
