import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UploadVanishedError } from '#usecases/errors.ts';
import type { ObjectStore, StoredObject } from '#usecases/ports.ts';

/** An ObjectStore over a directory, so the bench measures ingest itself rather than an S3 stand-in. */
export class FileObjectStore implements ObjectStore {
  constructor(private readonly root: string) {}

  /** @throws UploadVanishedError when the file does not exist, as the port says. */
  async open(key: string): Promise<AsyncIterable<Uint8Array>> {
    const path = join(this.root, key);
    const file = await stat(path).catch(() => undefined);
    if (file === undefined || !file.isFile()) throw new UploadVanishedError(`${key} no longer exists`);
    return createReadStream(path, { highWaterMark: 1 << 20 });
  }

  async readBytes(key: string): Promise<Uint8Array | undefined> {
    return readFile(join(this.root, key)).catch(() => undefined);
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    await mkdir(dirname(join(this.root, key)), { recursive: true });
    await writeFile(join(this.root, key), body);
  }

  /** Written to a temporary file renamed into place at the end, so it appears whole or not at all. */
  async putStream(key: string, body: AsyncIterable<Uint8Array | string>): Promise<void> {
    const path = join(this.root, key);
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.partial`;
    try {
      await pipeline(Readable.from(body, { objectMode: false }), createWriteStream(partial));
      await rename(partial, path);
    } finally {
      await rm(partial, { force: true });
    }
  }

  /** Read and written again: whole or not at all, as {@link putStream} writes. */
  async copy(from: string, to: string): Promise<void> {
    await this.putStream(to, await this.open(from));
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const dir = join(this.root, prefix);
    const names = await readdir(dir).catch(() => []);
    return Promise.all(
      names.map(async (n) => {
        const info = await stat(join(dir, n));
        return { key: `${prefix}${n}`, size: info.size, etag: `${info.size}-${info.mtimeMs}` };
      }),
    );
  }
}
