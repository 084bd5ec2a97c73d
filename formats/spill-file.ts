import { type FileHandle, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A piece of a {@link SpillFile}: where {@link SpillFile.append} put it. */
export interface SpillSegment {
  readonly offset: number;
  readonly length: number;
}

/**
 * A scratch file on local disk that bytes are appended to and read back from, for work larger
 * than memory (staging a partner dataset of tens of millions of rows holds only its recent rows;
 * the rest waits here until its shard is written). It lives in its own folder under the system's
 * temporary directory (a Lambda's `/tmp`, whose size the stack sets for the functions that
 * spill), and {@link SpillFile.close} removes it, so a warm Lambda keeps no scratch between
 * invocations.
 */
export class SpillFile {
  private constructor(
    private readonly dir: string,
    private readonly handle: FileHandle,
    private length: number,
  ) {}

  static async create(prefix = 'payguard-spill-'): Promise<SpillFile> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    try {
      return new SpillFile(dir, await open(join(dir, 'spill'), 'w+'), 0);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Bytes written and not truncated away. */
  get size(): number {
    return this.length;
  }

  /** Writes the bytes at the end and says where they are. */
  async append(bytes: Uint8Array): Promise<SpillSegment> {
    const offset = this.length;
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await this.handle.write(
        bytes,
        written,
        bytes.length - written,
        offset + written,
      );
      written += bytesWritten;
    }
    this.length += bytes.length;
    return { offset, length: bytes.length };
  }

  /** The bytes of a segment appended before (and not truncated away). */
  async read(segment: SpillSegment): Promise<Uint8Array> {
    if (segment.offset + segment.length > this.length) {
      throw new RangeError(
        `spill segment ${segment.offset}+${segment.length} is past the end (${this.length})`,
      );
    }
    const bytes = new Uint8Array(segment.length);
    let read = 0;
    while (read < segment.length) {
      const { bytesRead } = await this.handle.read(bytes, read, segment.length - read, segment.offset + read);
      if (bytesRead === 0) throw new Error(`spill file ended ${segment.length - read} bytes early`);
      read += bytesRead;
    }
    return bytes;
  }

  /** Drops everything after the first `length` bytes (segments appended since are gone). */
  async truncate(length: number): Promise<void> {
    if (length > this.length)
      throw new RangeError(`cannot truncate a ${this.length}-byte spill to ${length}`);
    await this.handle.truncate(length);
    this.length = length;
  }

  /** Closes and removes the file and its folder. Safe to call twice. */
  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}
