import { createHash, type Hash } from 'node:crypto';

/**
 * Opens an upload for its reader while hashing every byte, and gives the SHA-256 of the whole
 * file even when the reader stopped early (a CSV rejected at a decoding error): the rest is read
 * for the hash, so the digest never depends on where reading stopped or on the read chunk size.
 *
 * Each {@link open} starts a fresh read (and hash), closing the previous one: the digest is that
 * of the last read, completed (a CSV opened again as GB18030 is hashed once, whole).
 */
export class WholeFileHash {
  private source: AsyncIterator<Uint8Array> | undefined;
  private hash: Hash = createHash('sha256');
  private finished = false;

  constructor(private readonly openBytes: () => Promise<AsyncIterable<Uint8Array>>) {}

  /** A fresh read of the file, for the reader. */
  readonly open = async (): Promise<AsyncIterable<Uint8Array>> => {
    await this.source?.return?.();
    const source = (await this.openBytes())[Symbol.asyncIterator]();
    const hash = createHash('sha256');
    this.source = source;
    this.hash = hash;
    this.finished = false;
    // No `return` method: a reader that stops early leaves the rest to digest(), not closed.
    const next = async (): Promise<IteratorResult<Uint8Array>> => {
      const result = await source.next();
      if (result.done) this.finished = true;
      else hash.update(result.value);
      return result;
    };
    return { [Symbol.asyncIterator]: () => ({ next }) };
  };

  /** The SHA-256 (hex) of the whole file: reads on to its end first, opening it if no reader did. */
  async digest(): Promise<string> {
    if (this.source === undefined) await this.open();
    const source = this.source as AsyncIterator<Uint8Array>;
    while (!this.finished) {
      const result = await source.next();
      if (result.done) this.finished = true;
      else this.hash.update(result.value);
    }
    return this.hash.digest('hex');
  }
}
