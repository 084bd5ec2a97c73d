import { describe, expect, it } from 'vitest';
import { limitBytes, MAX_FILE_BYTES } from '#formats/file-size-limit.ts';
import { UnreadableFileError } from '#formats/unreadable-file-error.ts';
import { readError } from '../../fixtures/formats/byte-streams.ts';

describe('limitBytes', () => {
  it('passes a stream of exactly the limit through', async () => {
    // Prepare
    const chunk = new Uint8Array(MAX_FILE_BYTES / 8);
    const stream = (async function* () {
      for (let i = 0; i < 8; i++) yield chunk;
    })();

    // Act
    let total = 0;
    for await (const piece of limitBytes(stream)) total += piece.length;

    // Assess
    expect(total).toBe(MAX_FILE_BYTES);
  });

  it('fails a stream that goes past the limit, whatever size was listed', async () => {
    // Prepare
    const chunk = new Uint8Array(MAX_FILE_BYTES / 8);
    const stream = (async function* () {
      for (let i = 0; i < 8; i++) yield chunk;
      yield new Uint8Array(1);
    })();

    // Act
    const error = await readError(limitBytes(stream));

    // Assess
    expect(error).toBeInstanceOf(UnreadableFileError);
    expect((error as UnreadableFileError).reason).toContain('512 MiB');
  });
});
