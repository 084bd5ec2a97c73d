import { S3Client } from '@aws-sdk/client-s3';

/**
 * The CLI's own client of the S3 stand-in, which puts the demonstration's bank file and fetches the
 * outputs (the data directory is imported by the stand-in itself: `LocalStack.importFile`). It
 * signs its requests with `x-amz-content-sha256: UNSIGNED-PAYLOAD`, as S3 allows: otherwise SigV4
 * over plain HTTP makes the SDK hash every body it sends (when the CLI still PUT the data
 * directory, 4 s of its 15 s of CPU in a profile of the 1M month). The handlers' clients
 * (`adapters/clients.ts`) are left as they are in AWS.
 */
export function standInS3Client(endpoint: string): S3Client {
  const client = new S3Client({ endpoint, forcePathStyle: true });
  client.middlewareStack.add(
    (next) => async (args) => {
      const { headers } = args.request as { headers?: Record<string, string> };
      if (headers) headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
      return next(args);
    },
    { step: 'build', name: 'payguardUnsignedPayload' },
  );
  return client;
}
