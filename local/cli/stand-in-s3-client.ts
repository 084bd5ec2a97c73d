import { S3Client } from '@aws-sdk/client-s3';

/**
 * The CLI's own client of the S3 stand-in, which loads the data directory into the bucket (at 1M
 * payees, 770 MB of CSV while staging needs both cores), puts the demonstration's bank file and
 * fetches the outputs. It signs its requests with `x-amz-content-sha256: UNSIGNED-PAYLOAD`, as S3
 * allows: otherwise SigV4 over plain HTTP makes the SDK hash every body it sends, 4 s of the CLI's
 * 15 s of CPU in a profile of the 1M month. The handlers' clients (`adapters/clients.ts`) are left
 * as they are in AWS.
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
