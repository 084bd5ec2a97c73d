import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { UploadSigner } from '#usecases/desk-ports.ts';

/**
 * Presigned S3 PUTs into the data bucket, signed with the function's own role: the URL allows
 * exactly one key, with the content type and length signed in (S3 refuses a PUT whose
 * `Content-Type` or `Content-Length` differ), until it expires.
 */
export class S3UploadSigner implements UploadSigner {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async signPut(key: string, contentType: string, contentLength: number, expiresIn: number): Promise<string> {
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ContentType: contentType,
      ContentLength: contentLength,
    });
    return getSignedUrl(this.client, command, {
      expiresIn,
      signableHeaders: new Set(['content-type', 'content-length']),
    });
  }

  async origin(sampleKey: string): Promise<string> {
    // Signing makes no request: the URL's origin is where the browser will PUT.
    return new URL(await this.signPut(sampleKey, 'text/csv', 1, 60)).origin;
  }
}
