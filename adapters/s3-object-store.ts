import {
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { UploadVanishedError } from '#usecases/errors.ts';
import type { ObjectStore, StoredObject } from '#usecases/ports.ts';
import { rethrowStorageError } from './storage-errors.ts';

const isMissing = (error: unknown) =>
  error instanceof NoSuchKey || (error as { name?: string })?.name === 'NoSuchKey';

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

/** The data bucket through the S3 API. */
export class S3ObjectStore implements ObjectStore {
  readonly location: string;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {
    this.location = `s3://${bucket} (client ${clientId(client)})`;
  }

  async open(key: string): Promise<AsyncIterable<Uint8Array>> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return response.Body as AsyncIterable<Uint8Array>;
    } catch (error) {
      if (isMissing(error)) throw new UploadVanishedError(`s3://${this.bucket}/${key} no longer exists`);
      return rethrowStorageError(error, `reading s3://${this.bucket}/${key}`);
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

  async list(prefix: string): Promise<StoredObject[]> {
    const objects: StoredObject[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const o of page.Contents ?? []) {
          if (o.Key)
            objects.push({ key: o.Key, size: o.Size ?? 0, etag: (o.ETag ?? '').replaceAll('"', '') });
        }
        token = page.NextContinuationToken;
      } while (token);
    } catch (error) {
      rethrowStorageError(error, `listing s3://${this.bucket}/${prefix}`);
    }
    return objects;
  }
}
