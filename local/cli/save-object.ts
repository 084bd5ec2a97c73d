import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';

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
  let body: Readable;
  try {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    body = response.Body as Readable;
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return false;
    throw error;
  }
  try {
    await pipeline(body, createWriteStream(path));
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  return true;
}
