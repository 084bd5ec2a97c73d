import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';

/** An object's body as it streams, or `undefined` when the bucket has no such key. */
async function openObject(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<GetObjectCommandOutput['Body'] | undefined> {
  try {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return response.Body;
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

/** An object's bytes, or `undefined` when it does not exist. */
export async function fetchObject(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<Uint8Array | undefined> {
  const body = await openObject(client, bucket, key);
  return body && (await body.transformToByteArray());
}

/**
 * Writes an object of the bucket to `path` as it streams, never holding it whole: the run's
 * outputs at 1M payees are ~250 MB (release.csv alone ~90 MB), which the SDK's byte array
 * gathered in memory and copied together first (1.7 s of the CLI's CPU in a profile, at the end
 * of the run where nothing else works). A partly written file is removed when the stream fails.
 * @returns false when the bucket has no such key (no file is written).
 */
export async function saveObject(
  client: S3Client,
  bucket: string,
  key: string,
  path: string,
): Promise<boolean> {
  const body = await openObject(client, bucket, key);
  if (body === undefined) return false;
  try {
    // In Node the SDK's body is a Readable.
    await pipeline(body as Readable, createWriteStream(path));
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  return true;
}

/**
 * Objects saved at once, each to its `path` as {@link saveObject} does; the paths written, in the
 * order given (a missing key is left out). A run's outputs saved one after another waited on each
 * GET's stream in turn (3.3 s at 1M payees, with both processes mostly idle); at once, the stand-in's
 * reads overlap this process's writes (2.0 s). They are a dozen or two, each streamed.
 */
export async function saveObjects(
  client: S3Client,
  bucket: string,
  objects: readonly { key: string; path: string }[],
): Promise<string[]> {
  const saved = await Promise.all(objects.map(({ key, path }) => saveObject(client, bucket, key, path)));
  return objects.filter((_, index) => saved[index]).map((object) => object.path);
}
