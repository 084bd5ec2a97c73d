import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3ObjectStore } from '#adapters/s3-object-store.ts';
import { type LocalStack, startLocalStack } from '#local/stand-ins/local-stack.ts';
import { UploadVanishedError } from '#usecases/errors.ts';

let stack: LocalStack;
let s3: S3Client;
let store: S3ObjectStore;

beforeAll(async () => {
  stack = await startLocalStack();
  s3 = new S3Client({ endpoint: stack.s3Endpoint, forcePathStyle: true });
  const { s3Client } = await import('#adapters/clients.ts');
  const { S3ObjectStore } = await import('#adapters/s3-object-store.ts');
  store = new S3ObjectStore(s3Client(), stack.bucket);
});

afterAll(async () => {
  s3?.destroy();
  await stack?.stop();
});

async function put(key: string, body: string): Promise<string> {
  const { ETag } = await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: body }));
  return (ETag ?? '').replaceAll('"', '');
}

async function text(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const pieces: Buffer[] = [];
  for await (const piece of stream) pieces.push(Buffer.from(piece));
  return Buffer.concat(pieces).toString('utf8');
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('S3ObjectStore on the S3 stand-in', () => {
  it('reads the content with the ETag asked for, and refuses to read a key overwritten since', async () => {
    // Prepare
    const key = 'incoming/2026-10/shiqi/roster.csv';
    const etag = await put(key, 'first');

    // Act
    const before = await text(await store.open(key, { etag }));
    await put(key, 'second');
    const after = await rejection(store.open(key, { etag }));
    const unpinned = await text(await store.open(key));

    // Assess
    expect(before).toBe('first');
    expect(after).toBeInstanceOf(UploadVanishedError);
    expect(after.message).toContain('no longer holds the upload registered');
    expect(unpinned).toBe('second');
  });

  it('asks a versioned bucket for the version registered (the stand-in keeps no versions: a recording client stands in)', async () => {
    // Prepare
    const { S3ObjectStore } = await import('#adapters/s3-object-store.ts');
    const sent: Record<string, unknown>[] = [];
    const client = {
      send: async (command: { input: Record<string, unknown> }) => {
        sent.push(command.input);
        if (command.input.VersionId === 'gone') {
          throw Object.assign(new Error('The specified version does not exist.'), { name: 'NoSuchVersion' });
        }
        return { Body: (async function* () {})(), ETag: '"other"' };
      },
    } as unknown as S3Client;
    const versioned = new S3ObjectStore(client, 'payguard-data');

    // Act
    await versioned.open('incoming/2026-10/shiqi/a.csv', { versionId: 'v1', etag: 'e1' });
    const gone = await rejection(versioned.open('incoming/2026-10/shiqi/a.csv', { versionId: 'gone' }));

    // Assess
    expect(sent[0]).toEqual({
      Bucket: 'payguard-data',
      Key: 'incoming/2026-10/shiqi/a.csv',
      VersionId: 'v1',
    });
    expect(gone).toBeInstanceOf(UploadVanishedError);
  });

  it('streams an object of several parts, and writes nothing when the stream fails', async () => {
    // Prepare: 12 MiB in 64 KiB pieces, more than two 5 MiB parts.
    const piece = 'x'.repeat(64 * 1024 - 1).concat('\n');
    async function* pieces(count: number, failAt?: number) {
      for (let i = 0; i < count; i++) {
        if (i === failAt) throw new RangeError('the source broke');
        yield i % 2 === 0 ? piece : Buffer.from(piece);
      }
    }
    const key = 'reports/2026-10/findings.csv';
    const broken = 'reports/2026-10/summary.json';

    // Act
    await store.putStream(key, pieces(192), 'text/csv');
    const failure = await rejection(store.putStream(broken, pieces(192, 150), 'text/csv'));
    const stored = await s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: key }));
    const bytes = await stored.Body?.transformToByteArray();

    // Assess
    expect(bytes?.length).toBe(192 * 64 * 1024);
    expect(
      createHash('sha256')
        .update(bytes ?? new Uint8Array())
        .digest('hex'),
    ).toBe(createHash('sha256').update(piece.repeat(192)).digest('hex'));
    expect(failure).toBeInstanceOf(RangeError);
    expect(await store.readBytes(broken)).toBeUndefined();
  });

  it('serves a reader the whole object it started on while the key is written over, as S3 does', async () => {
    // Prepare: a large object whose read is held after its first piece.
    const key = 'staged/datasets/deaths/0123456789abcdef/7.arrow';
    const first = Buffer.alloc(24 * 1024 * 1024, 'a');
    const second = Buffer.alloc(8 * 1024 * 1024, 'b');
    await store.put(key, first, 'application/octet-stream');
    const reading = (await store.open(key))[Symbol.asyncIterator]();
    const pieces: Uint8Array[] = [];
    const head = await reading.next();
    if (!head.done) pieces.push(head.value);

    // Act: the key is written over, then the held read goes on.
    await store.put(key, second, 'application/octet-stream');
    for (let piece = await reading.next(); !piece.done; piece = await reading.next())
      pieces.push(piece.value);
    const after = await store.readBytes(key);

    // Assess
    const read = Buffer.concat(pieces);
    expect(read.length).toBe(first.length);
    expect(read.equals(first)).toBe(true);
    expect(Buffer.from(after ?? []).equals(second)).toBe(true);
  });

  it('serves an object byte for byte: whole, a range of it, its tail and an empty one', async () => {
    // Prepare: 5 MB whose every byte depends on its offset, so a shifted or repeated piece shows.
    const key = 'staged/datasets/registry/0123456789abcdef/3.arrow';
    const bytes = Buffer.alloc(5 * 1024 * 1024 + 17);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 12)) & 0xff;
    await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: bytes }));
    await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: `${key}.empty`, Body: '' }));
    const get = async (Key: string, Range?: string) => {
      const out = await s3.send(
        new GetObjectCommand({ Bucket: stack.bucket, Key, ...(Range ? { Range } : {}) }),
      );
      return Buffer.from((await out.Body?.transformToByteArray()) ?? []);
    };

    // Act
    const whole = await get(key);
    const range = await get(key, 'bytes=1048570-3145740');
    const tail = await get(key, `bytes=${bytes.length - 5}-`);
    const empty = await get(`${key}.empty`);

    // Assess
    expect(whole.equals(bytes)).toBe(true);
    expect(range.equals(bytes.subarray(1048570, 3145741))).toBe(true);
    expect(tail.equals(bytes.subarray(bytes.length - 5))).toBe(true);
    expect(empty.length).toBe(0);
  });

  it('gives an object a new opaque ETag at every write, as the KMS-encrypted bucket does, not the MD5 of its bytes', async () => {
    // Prepare
    const key = 'reference/registry.csv';
    const bytes = 'id_number,name\r\n';

    // Act
    await store.put(key, bytes, 'text/csv');
    const first = (await store.list('reference/')).find((o) => o.key === key);
    await store.put(key, bytes, 'text/csv');
    const second = (await store.list('reference/')).find((o) => o.key === key);
    const head = await s3.send(new HeadObjectCommand({ Bucket: stack.bucket, Key: key }));

    // Assess
    expect(first?.etag).toMatch(/^[0-9a-f]{32}$/);
    expect(first?.etag).not.toBe(createHash('md5').update(bytes).digest('hex'));
    expect(second?.etag).not.toBe(first?.etag);
    expect(head.ETag?.replaceAll('"', '')).toBe(second?.etag);
  });

  it('copies an object inside the bucket, content type included, and names a missing source as vanished', async () => {
    // Prepare
    const from = 'reports/2026-10/runs/r1/release-candidate.csv';
    const to = 'reports/2026-10/release-candidate.csv';
    await store.put(from, 'payment_ref,batch\r\nP1,shiqi\r\n', 'text/csv; charset=utf-8');
    await store.put(to, 'an older candidate', 'text/plain');

    // Act
    await store.copy(from, to);
    const missing = await rejection(store.copy('reports/2026-10/runs/none/release-candidate.csv', to));
    const head = await s3.send(new HeadObjectCommand({ Bucket: stack.bucket, Key: to }));

    // Assess
    expect(Buffer.from((await store.readBytes(to)) ?? []).toString()).toBe(
      'payment_ref,batch\r\nP1,shiqi\r\n',
    );
    expect(head.ContentType).toBe('text/csv; charset=utf-8');
    // A copy is a new object: its own ETag (the KMS-encrypted bucket's are not MD5s of the bytes).
    const sourceHead = await s3.send(new HeadObjectCommand({ Bucket: stack.bucket, Key: from }));
    expect(head.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(head.ETag).not.toBe(sourceHead.ETag);
    expect(missing).toBeInstanceOf(UploadVanishedError);
  });

  it('serves a reader the whole object it started on while the key is copied over', async () => {
    // Prepare
    const key = 'reports/2026-10/release.csv';
    const first = Buffer.alloc(24 * 1024 * 1024, 'a');
    const source = 'reports/2026-10/runs/r2/release-candidate.csv';
    await store.put(key, first, 'text/csv');
    await store.put(source, Buffer.alloc(8 * 1024 * 1024, 'b'), 'text/csv');
    const reading = (await store.open(key))[Symbol.asyncIterator]();
    const pieces: Uint8Array[] = [];
    const head = await reading.next();
    if (!head.done) pieces.push(head.value);

    // Act
    await store.copy(source, key);
    for (let piece = await reading.next(); !piece.done; piece = await reading.next())
      pieces.push(piece.value);

    // Assess
    expect(Buffer.concat(pieces).equals(first)).toBe(true);
    expect((await store.readBytes(key))?.length).toBe(8 * 1024 * 1024);
  });

  it('copies with CopyObject, its source URL-encoded, and streams an object larger than CopyObject takes', async () => {
    // Prepare: the stand-in behind a recording client, whose HeadObject says one source is 6 GiB.
    const { s3Client } = await import('#adapters/clients.ts');
    const { S3ObjectStore } = await import('#adapters/s3-object-store.ts');
    const real = s3Client();
    const sent: { command: string; input: Record<string, unknown> }[] = [];
    const client = Object.create(real) as S3Client;
    client.send = (async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      sent.push({ command: command.constructor.name, input: command.input });
      const answer = await real.send(command as never);
      return command.constructor.name === 'HeadObjectCommand' &&
        command.input.Key === 'reports/2026-10/huge.csv'
        ? { ...answer, ContentLength: 6 * 1024 ** 3 }
        : answer;
    }) as never;
    const recorded = new S3ObjectStore(client, stack.bucket);
    await store.put('reports/2026-10/a b.csv', 'payment_ref\r\nP1\r\n', 'text/csv');
    await store.put('reports/2026-10/huge.csv', 'payment_ref\r\nP2\r\n', 'text/csv');

    // Act
    await recorded.copy('reports/2026-10/a b.csv', 'reports/2026-10/c.csv');
    const small = sent.splice(0);
    await recorded.copy('reports/2026-10/huge.csv', 'reports/2026-10/d.csv');

    // Assess
    expect(small.map((s) => s.command)).toEqual(['HeadObjectCommand', 'CopyObjectCommand']);
    expect(small[1]?.input).toMatchObject({
      Bucket: stack.bucket,
      Key: 'reports/2026-10/c.csv',
      CopySource: `${stack.bucket}/reports/2026-10/a%20b.csv`,
    });
    expect(sent.map((s) => s.command)).toEqual(['HeadObjectCommand', 'GetObjectCommand', 'PutObjectCommand']);
    expect(sent[2]?.input).toMatchObject({ Key: 'reports/2026-10/d.csv', ContentType: 'text/csv' });
    expect(Buffer.from((await store.readBytes('reports/2026-10/c.csv')) ?? []).toString()).toBe(
      'payment_ref\r\nP1\r\n',
    );
    expect(Buffer.from((await store.readBytes('reports/2026-10/d.csv')) ?? []).toString()).toBe(
      'payment_ref\r\nP2\r\n',
    );
  });
});
