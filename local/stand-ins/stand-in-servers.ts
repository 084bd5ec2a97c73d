import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import S3rver from '@20minutes/s3rver';
import S3Event from '@20minutes/s3rver/lib/models/event.js';
import S3Object from '@20minutes/s3rver/lib/models/object.js';
import { startDynamoThread } from './dynamo-thread.ts';

/** Raw S3 notification as the S3 stand-in emits it. */
export interface S3NotificationRecord {
  readonly eventTime: string;
  readonly eventName: string;
  readonly s3: {
    readonly bucket: { readonly name: string };
    readonly object: {
      readonly key: string;
      readonly size?: number;
      readonly eTag?: string;
      readonly sequencer?: string;
    };
  };
}

/** The S3 and DynamoDB stand-ins of the embedded stack, wherever they run: endpoints, events, stop. */
export interface StandInServers {
  readonly s3Endpoint: string;
  readonly dynamoEndpoint: string;
  /** The id of the process they run in. */
  readonly pid: number;
  /**
   * Subscribes to the S3 stand-in's object events, told in the order of the requests that made
   * them. In this process, before the request is answered; from a child process, a little after.
   */
  onObjectEvent(listener: (record: S3NotificationRecord) => void): void;
  /**
   * Resolves once every object event of a request already answered has been told to the
   * listeners (at once in this process; a round trip to a child process).
   */
  eventsDelivered(): Promise<void>;
  /**
   * Stores the local file `path` as the object `key`, as a PUT of its bytes without a content type
   * would (an ETag of its own, the object replaced whole, its `ObjectCreated:Put` event told before
   * this resolves), copying the bytes once, file to file: how the local runner loads a data
   * directory as the bucket's initial content (issue 13). A PUT through the API copied them four
   * times (read by the CLI, sent, received, written) and took ~4 s of the CLI's CPU and ~3 s of
   * the stand-ins' for a 1M-payee bucket (770 MB).
   */
  importFile(key: string, path: string): Promise<void>;
  /**
   * Writes the object `key` to the local file `path`, its bytes copied once, file to file (how the
   * local runner saves the run's outputs to OUT: ~250 MB at 1M payees, 2.0 s as GETs streamed to
   * files); a part written is removed when the copy fails. Resolves false, writing nothing, when
   * the bucket has no such key.
   */
  exportObject(key: string, path: string): Promise<boolean>;
  close(): Promise<void>;
}

/** What the S3 and DynamoDB stand-ins are started with. */
export interface StandInConfig {
  /** The S3 stand-in's files. */
  readonly directory: string;
  /** Its one bucket, created with the loopback CORS rule. */
  readonly bucket: string;
}

/**
 * The bucket's CORS locally: the town desk's page (the loopback site, any port) PUTs rosters
 * through presigned URLs, as the deployed bucket allows the site's origin.
 */
const LOOPBACK_PUT_CORS = `<CORSConfiguration><CORSRule>
<AllowedOrigin>http://127.0.0.1:*</AllowedOrigin><AllowedOrigin>http://localhost:*</AllowedOrigin>
<AllowedMethod>PUT</AllowedMethod><AllowedHeader>content-type</AllowedHeader><MaxAgeSeconds>3000</MaxAgeSeconds>
</CORSRule></CORSConfiguration>`;

/** The parts of s3rver's file store that write an object's bytes, copy one and name its files. */
interface S3rverContentWriter {
  putContent(objectPath: string, content: unknown): Promise<[number, string]>;
  copyObject(
    srcBucket: string,
    srcKey: string,
    destBucket: string,
    destKey: string,
    replacementMetadata?: unknown,
  ): Promise<unknown>;
  getResourcePath(bucket: string, key: string, resource: 'object' | 'metadata.json' | 'object.md5'): string;
  putMetadata(bucket: string, key: string, metadata: unknown): Promise<void>;
  getMetadata(bucket: string, key: string): Promise<unknown>;
}

/**
 * An object's ETag as the data bucket gives it: the bucket encrypts with KMS (`infra/constructs/
 * data-bucket.ts`), and S3 documents that the ETag of an object so encrypted is not an MD5 digest of
 * its bytes. So here it is opaque and new at every write (a copy is a new object too): 32 hex
 * digits, the form s3rver and the SDK expect. Without s3rver's own MD5 of every byte written (a
 * value the pipeline must not read meaning into), the stand-ins' CPU time over a 1M-payee month
 * went from 36.9 / 40.5 s to 28.6 / 29.1 s (runs alternated).
 */
const opaqueEtag = () => randomBytes(16).toString('hex');

/** An object's content that is a local file, copied into the store as it is (`importFile`). */
class LocalFileContent {
  constructor(readonly path: string) {}
}

/** Writes an object's bytes to `path`, as s3rver's `putContent` does but without an MD5: its size and ETag. */
async function writeContent(path: string, content: unknown): Promise<[number, string]> {
  if (content instanceof LocalFileContent) {
    await copyFile(content.path, path);
    return [(await stat(path)).size, opaqueEtag()];
  }
  if (Buffer.isBuffer(content)) {
    await writeFile(path, content);
    return [content.length, opaqueEtag()];
  }
  const file = createWriteStream(path);
  await pipeline(content as Readable, file);
  return [file.bytesWritten, opaqueEtag()];
}

/**
 * Makes s3rver write an object's bytes beside its file and rename them over it once complete,
 * as S3 replaces an object: whole, at once. s3rver writes into the object's file in place, so a
 * reader of the key while it is written over got a short or aborted body (a suspect, unproven, of
 * one 5M-payee run whose month-run partition read a staged shard short). A reader keeps the file
 * it opened; a failed write leaves the object as it was. Each write and copy gets an
 * {@link opaqueEtag}.
 */
function replaceObjectsWhole(s3: S3rver): void {
  const store = (s3 as unknown as { store: S3rverContentWriter }).store;
  const copy = store.copyObject.bind(store);
  let writes = 0;
  /** Writes `path` by `write` into a file beside it, renamed over it once complete. */
  const replaceWhole = async <T>(path: string, write: (partial: string) => Promise<T>): Promise<T> => {
    const partial = `${path}.${process.pid}-${++writes}.partial`;
    try {
      const result = await write(partial);
      await rename(partial, path);
      return result;
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  };
  const copyWhole = async (from: string, to: string) => {
    await mkdir(dirname(to), { recursive: true });
    await replaceWhole(to, (partial) => copyFile(from, partial));
  };
  // CopyObject likewise (s3rver copies into the object's file in place); the copy gets an ETag of
  // its own. (A copy onto its own key, metadata only, is s3rver's and keeps the object's ETag.)
  store.copyObject = async (srcBucket, srcKey, destBucket, destKey, replacementMetadata) => {
    const path = (bucket: string, key: string, resource: 'object' | 'metadata.json' | 'object.md5') =>
      store.getResourcePath(bucket, key, resource);
    if (path(srcBucket, srcKey, 'object') === path(destBucket, destKey, 'object'))
      return copy(srcBucket, srcKey, destBucket, destKey, replacementMetadata);
    await copyWhole(path(srcBucket, srcKey, 'object'), path(destBucket, destKey, 'object'));
    // The copy's ETag, in the file s3rver keeps it in (named `.md5`, as s3rver names it).
    await replaceWhole(path(destBucket, destKey, 'object.md5'), (partial) =>
      writeFile(partial, opaqueEtag()),
    );
    if (replacementMetadata !== undefined && replacementMetadata !== null)
      await store.putMetadata(destBucket, destKey, replacementMetadata);
    else
      await copyWhole(path(srcBucket, srcKey, 'metadata.json'), path(destBucket, destKey, 'metadata.json'));
    return store.getMetadata(destBucket, destKey);
  };
  // A Buffer's bytes are on disk before s3rver answers (its own putContent answered first).
  store.putContent = (objectPath, content) =>
    replaceWhole(objectPath, (partial) => writeContent(partial, content));
}

/**
 * Starts s3rver and dynalite in this process on loopback, ephemeral ports, dynalite (its tables in
 * memory) on a thread of its own. s3rver tells its object events synchronously, while it handles
 * the request.
 */
export async function startStandInServers(config: StandInConfig): Promise<StandInServers> {
  const s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: config.directory,
    allowMismatchedSignatures: true,
    configureBuckets: [{ name: config.bucket, configs: [LOOPBACK_PUT_CORS] }],
  });
  replaceObjectsWhole(s3);
  const s3Address = (await s3.run()) as AddressInfo;
  const store = (
    s3 as unknown as {
      store: S3rverContentWriter & { putObject(object: S3Object): Promise<{ size: number; md5: string }> };
    }
  ).store;
  const dynamo = await startDynamoThread().catch(async (error: unknown) => {
    await s3.close();
    throw error;
  });
  return {
    s3Endpoint: `http://127.0.0.1:${s3Address.port}`,
    dynamoEndpoint: dynamo.endpoint,
    pid: process.pid,
    onObjectEvent(listener) {
      s3.on('event', (event: { Records: S3NotificationRecord[] }) => {
        for (const record of event.Records) listener(record);
      });
    },
    eventsDelivered: () => Promise.resolve(),
    async importFile(key, path) {
      // The content type the SDK sends for a PUT without one.
      const metadata = { 'content-type': 'application/octet-stream' };
      const { size, md5 } = await store.putObject(
        new S3Object(config.bucket, key, new LocalFileContent(path), metadata),
      );
      // The event as s3rver's PUT tells it (`controllers/object.js`).
      const S3Item = new S3Object(config.bucket, key, null, {
        'content-length': size,
        etag: JSON.stringify(md5),
      });
      const host = `127.0.0.1:${s3Address.port}`;
      s3.emit(
        'event',
        new S3Event(
          { bucket: config.bucket, eventType: 'Put', S3Item },
          { reqHeaders: { host }, sourceIp: '127.0.0.1' },
        ),
      );
    },
    async exportObject(key, path) {
      const from = store.getResourcePath(config.bucket, key, 'object');
      if (
        !(await stat(from).then(
          (info) => info.isFile(),
          () => false,
        ))
      )
        return false;
      try {
        await copyFile(from, path);
      } catch (error) {
        await rm(path, { force: true }).catch(() => undefined);
        throw error;
      }
      return true;
    },
    async close() {
      await s3.close();
      await dynamo.close();
    },
  };
}
