import { createHash } from 'node:crypto';
import { UploadVanishedError } from '#usecases/errors.ts';
import type { ObjectStore, ObjectVersion, StoredObject } from '#usecases/ports.ts';

/**
 * An in-memory bucket for use-case tests. The ETag is the MD5 of the content (as S3 gives for a
 * single-part upload), so it changes exactly when the content does. Streams are cut into small
 * chunks to exercise the readers' chunk handling. Every call is counted.
 */
export class MemoryObjectStore implements ObjectStore {
  readonly calls = {
    open: [] as string[],
    readBytes: [] as string[],
    put: [] as string[],
    putStream: [] as string[],
    copy: [] as string[],
    list: [] as string[],
  };
  private readonly objects = new Map<string, { body: Uint8Array; etag: string }>();

  constructor(private readonly chunkSize = 64) {}

  /** Stores an object (a string is written as UTF-8), as an upload would. */
  set(key: string, body: string | Uint8Array): this {
    const bytes = typeof body === 'string' ? new Uint8Array(Buffer.from(body, 'utf8')) : body;
    this.objects.set(key, { body: bytes, etag: createHash('md5').update(bytes).digest('hex') });
    return this;
  }

  get(key: string): Uint8Array | undefined {
    return this.objects.get(key)?.body;
  }

  delete(key: string): void {
    this.objects.delete(key);
  }

  keys(): string[] {
    return [...this.objects.keys()].sort();
  }

  /** Without versions: a `version` names the content by its ETag (its version id is not kept). */
  async open(key: string, version?: ObjectVersion): Promise<AsyncIterable<Uint8Array>> {
    this.calls.open.push(key);
    const object = this.objects.get(key);
    if (object === undefined) throw new UploadVanishedError(`${key} no longer exists`);
    if (version?.etag !== undefined && version.etag !== object.etag)
      throw new UploadVanishedError(`${key} no longer holds the version with ETag ${version.etag}`);
    const { body } = object;
    const size = this.chunkSize;
    return (async function* chunks() {
      for (let i = 0; i < body.length; i += size) yield body.slice(i, i + size);
    })();
  }

  async readBytes(key: string): Promise<Uint8Array | undefined> {
    this.calls.readBytes.push(key);
    return this.objects.get(key)?.body;
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    this.calls.put.push(key);
    this.set(key, body);
  }

  /** Stores the object once the stream has ended (nothing when it fails). */
  async putStream(key: string, body: AsyncIterable<Uint8Array | string>): Promise<void> {
    this.calls.putStream.push(key);
    const pieces: Buffer[] = [];
    for await (const piece of body)
      pieces.push(typeof piece === 'string' ? Buffer.from(piece, 'utf8') : Buffer.from(piece));
    this.set(key, new Uint8Array(Buffer.concat(pieces)));
  }

  async copy(from: string, to: string): Promise<void> {
    this.calls.copy.push(`${from} -> ${to}`);
    const object = this.objects.get(from);
    if (object === undefined) throw new UploadVanishedError(`${from} no longer exists`);
    this.objects.set(to, { ...object });
  }

  async list(prefix: string): Promise<StoredObject[]> {
    this.calls.list.push(prefix);
    // Unsorted on purpose: callers must not rely on the listing order.
    return [...this.objects]
      .filter(([key]) => key.startsWith(prefix))
      .reverse()
      .map(([key, o]) => ({ key, size: o.body.length, etag: o.etag }));
  }
}
