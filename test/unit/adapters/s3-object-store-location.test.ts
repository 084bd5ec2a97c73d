import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { S3ObjectStore } from '#adapters/s3-object-store.ts';

describe('S3ObjectStore location', () => {
  it('names the bucket and the client: one bucket name behind two clients is two locations', () => {
    // Prepare
    const local = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1' });
    const other = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:2' });

    // Act
    const a = new S3ObjectStore(local, 'data').location;
    const again = new S3ObjectStore(local, 'data').location;
    const otherBucket = new S3ObjectStore(local, 'other').location;
    const otherClient = new S3ObjectStore(other, 'data').location;

    // Assess
    expect(again).toBe(a);
    expect(a).toMatch(/^s3:\/\/data /);
    expect(otherBucket).not.toBe(a);
    expect(otherClient).not.toBe(a);
  });
});
