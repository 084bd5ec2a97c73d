import { GetObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '#adapters/clients.ts';

/** Test handler: reads a key, which the bucket guard refuses unless the grants allow it. */
export async function handler(event: { key: string }): Promise<string> {
  try {
    await s3Client().send(new GetObjectCommand({ Bucket: process.env.DATA_BUCKET_NAME, Key: event.key }));
    return 'read';
  } catch (error) {
    return (error as Error).name;
  }
}
