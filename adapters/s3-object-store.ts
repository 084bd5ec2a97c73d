import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { UploadVanishedError } from '#usecases/errors.ts';
import type { ObjectStore, ObjectVersion, StoredObject } from '#usecases/ports.ts';
import { rethrowStorageError } from './storage-errors.ts';

const isMissing = (error: unknown) =>
  error instanceof NoSuchKey || (error as { name?: string })?.name === 'NoSuchKey';

/** HeadObject's answer to a missing key: 404 without a body, so no `NoSuchKey`. */
const isNotFound = (error: unknown) =>
  isMissing(error) ||
  (error as { name?: string })?.name === 'NotFound' ||
  (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 404;

/** The largest object one CopyObject copies (5 GiB); a larger one is copied as it streams. */
const COPY_OBJECT_MAX_BYTES = 5 * 1024 ** 3;

/** A key as `CopySource` takes it: URL-encoded, its `/` kept. */
const copySourceOf = (bucket: string, key: string) =>
  `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;

/** A number per S3 client (one per endpoint), so one bucket name behind two endpoints is two locations. */
const clientIds = new WeakMap<S3Client, number>();
let clientsSeen = 0;

function clientId(client: S3Client): number {
  let id = clientIds.get(client);
  if (id === undefined) {
    id = clientsSeen++;
    clientIds.set(client, id);
  }
  return id;
}

/** S3's answer to a version that is gone (`NoSuchVersion`) or to an `If-Match` that failed (412). */
const isOtherVersion = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    e?.name === 'NoSuchVersion' || e?.name === 'PreconditionFailed' || e?.$metadata?.httpStatusCode === 412
  );
};

const unquoted = (etag: string | undefined) => (etag ?? '').replaceAll('"', '');

/** Parts of a streamed upload: S3's minimum; at most `QUEUE` of them are held at once. */
const PART_BYTES = 5 * 1024 * 1024;
const QUEUE = 2;

/** The data bucket through the S3 API. */
export class S3ObjectStore implements ObjectStore {
  readonly location: string;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {
    this.location = `s3://${bucket} (client ${clientId(client)})`;
  }

  async open(key: string, version?: ObjectVersion): Promise<AsyncIterable<Uint8Array>> {
    const where = `s3://${this.bucket}/${key}`;
    try {
      const response = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(version?.versionId ? { VersionId: version.versionId } : {}),
          ...(!version?.versionId && version?.etag ? { IfMatch: `"${unquoted(version.etag)}"` } : {}),
        }),
      );
      // S3 answers a failed If-Match with 412; a store that ignores the header is caught here.
      if (!version?.versionId && version?.etag && unquoted(response.ETag) !== unquoted(version.etag)) {
        (response.Body as Readable | undefined)?.destroy?.();
        throw replaced(where, version.etag);
      }
      return response.Body as AsyncIterable<Uint8Array>;
    } catch (error) {
      if (error instanceof UploadVanishedError) throw error;
      if (isMissing(error)) throw new UploadVanishedError(`${where} no longer exists`);
      if (version && isOtherVersion(error)) throw replaced(where, version.versionId ?? version.etag ?? '');
      return rethrowStorageError(error, `reading ${where}`);
    }
  }

  async readBytes(key: string): Promise<Uint8Array | undefined> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return response.Body ? await response.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (isMissing(error)) return undefined;
      return rethrowStorageError(error, `reading s3://${this.bucket}/${key}`);
    }
  }

  async put(key: string, body: Uint8Array | string, contentType: string): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
      );
    } catch (error) {
      rethrowStorageError(error, `writing s3://${this.bucket}/${key}`);
    }
  }

  /**
   * A multipart upload (lib-storage) of 5 MiB parts, two in flight; a body under one part is one
   * PutObject. On failure the parts are left for the bucket's lifecycle rule to remove: aborting
   * would need `s3:AbortMultipartUpload`, and a failed abort would hide the stream's own error.
   */
  async putStream(key: string, body: AsyncIterable<Uint8Array | string>, contentType: string): Promise<void> {
    let bodyError: { error: unknown } | undefined;
    const bytes = Readable.from(
      (async function* encoded() {
        try {
          for await (const piece of body)
            yield typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
        } catch (error) {
          bodyError = { error };
          throw error;
        }
      })(),
      { objectMode: false },
    );
    try {
      await new Upload({
        client: this.client,
        params: { Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType },
        partSize: PART_BYTES,
        queueSize: QUEUE,
        leavePartsOnError: true,
      }).done();
    } catch (error) {
      if (bodyError) throw bodyError.error;
      rethrowStorageError(error, `writing s3://${this.bucket}/${key}`);
    } finally {
      bytes.destroy();
    }
  }

  /**
   * CopyObject, inside S3 (needs `s3:GetObject` on `from` and `s3:PutObject` on `to`, as reading
   * and writing would): the content type is copied with the bytes, tags are not (so no tagging
   * permission is needed). An object over CopyObject's 5 GiB is streamed through {@link putStream}.
   */
  async copy(from: string, to: string): Promise<void> {
    const where = `s3://${this.bucket}/${from}`;
    let head: { ContentLength?: number | undefined; ContentType?: string | undefined };
    try {
      head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: from }));
    } catch (error) {
      if (isNotFound(error)) throw new UploadVanishedError(`${where} no longer exists`);
      return rethrowStorageError(error, `reading ${where}`);
    }
    if ((head.ContentLength ?? 0) > COPY_OBJECT_MAX_BYTES) {
      await this.putStream(to, await this.open(from), head.ContentType ?? 'application/octet-stream');
      return;
    }
    try {
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: to,
          CopySource: copySourceOf(this.bucket, from),
          TaggingDirective: 'REPLACE',
        }),
      );
    } catch (error) {
      if (isMissing(error)) throw new UploadVanishedError(`${where} no longer exists`);
      rethrowStorageError(error, `copying ${where} to s3://${this.bucket}/${to}`);
    }
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const objects: StoredObject[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const o of page.Contents ?? []) {
          if (o.Key) objects.push({ key: o.Key, size: o.Size ?? 0, etag: unquoted(o.ETag) });
        }
        token = page.NextContinuationToken;
      } while (token);
    } catch (error) {
      rethrowStorageError(error, `listing s3://${this.bucket}/${prefix}`);
    }
    return objects;
  }
}

function replaced(where: string, version: string): UploadVanishedError {
  return new UploadVanishedError(
    `${where} no longer holds the upload registered (version ${version}): it was replaced, and the newer upload is checked on its own`,
  );
}
