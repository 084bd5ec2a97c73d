import { type S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { s3Client } from '#adapters/clients.ts';
import { type BucketAction, grantsAllow } from '#pipelines/bucket-access.ts';
import { ENV } from '#schemas/tables.ts';
import { currentCaller } from './function-context.ts';

/** The permission each S3 command needs, as IAM decides it; a command not here is refused. */
const ACTIONS: Readonly<Record<string, { action: BucketAction; resource: 'Key' | 'Prefix' }>> = {
  GetObjectCommand: { action: 's3:GetObject', resource: 'Key' },
  HeadObjectCommand: { action: 's3:GetObject', resource: 'Key' },
  PutObjectCommand: { action: 's3:PutObject', resource: 'Key' },
  // And s3:GetObject on its source: see `copySourceOf`.
  CopyObjectCommand: { action: 's3:PutObject', resource: 'Key' },
  CreateMultipartUploadCommand: { action: 's3:PutObject', resource: 'Key' },
  UploadPartCommand: { action: 's3:PutObject', resource: 'Key' },
  CompleteMultipartUploadCommand: { action: 's3:PutObject', resource: 'Key' },
  ListObjectsV2Command: { action: 's3:ListBucket', resource: 'Prefix' },
  ListObjectsCommand: { action: 's3:ListBucket', resource: 'Prefix' },
};

const GUARD = 'payguardBucketGrants';

/**
 * The bucket and key a CopyObject reads (`CopySource`, `bucket/key` URL-encoded): IAM asks
 * `s3:GetObject` on it as well as `s3:PutObject` on the key written.
 */
function copySourceOf(input: { CopySource?: string }): { bucket: string; key: string } | undefined {
  if (input.CopySource === undefined) return undefined;
  const [bucket = '', ...key] = input.CopySource.replace(/^\//, '').split('?')[0]?.split('/') ?? [];
  return { bucket, key: decodeURIComponent(key.join('/')) };
}

/** What S3 answers a request the caller's role does not allow: `AccessDenied`, HTTP 403. */
function accessDenied(functionModule: string, action: string, resource: string): S3ServiceException {
  return new S3ServiceException({
    name: 'AccessDenied',
    $fault: 'client',
    $metadata: { httpStatusCode: 403 },
    message:
      `User: payguard-${functionModule} is not authorized to perform: ${action} on resource: "${resource}" ` +
      `because no identity-based policy allows the ${action} action (declare the key family in ` +
      'pipelines/bucket-access.ts)',
  });
}

/**
 * Makes the embedded stack refuse, as S3 would with the deployed roles, every request a function
 * makes outside its grants: `client` (the handlers' shared S3 client) then checks each request
 * made inside a handler invocation (`runAsFunction`) against the grants `pipelines/bucket-access.ts`
 * derives for that function — the same ones the stack's IAM policies hold — and answers one they
 * do not allow with `AccessDenied` (403), which is neither retried nor read as "absent".
 * Requests made outside an invocation pass. Installing it twice on a client keeps one guard.
 */
export function guardBucket(client: S3Client, bucket: string): void {
  client.middlewareStack.remove(GUARD);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const caller = currentCaller();
      if (caller === undefined) return next(args);
      const input = args.input as { Bucket?: string; Key?: string; Prefix?: string; CopySource?: string };
      const needed = ACTIONS[context.commandName ?? ''];
      const target = needed?.resource === 'Prefix' ? (input.Prefix ?? '') : (input.Key ?? '');
      const action = needed?.action ?? `s3:${(context.commandName ?? 'Unknown').replace(/Command$/, '')}`;
      const resource =
        needed?.resource === 'Prefix'
          ? `arn:aws:s3:::${input.Bucket} (prefix "${target}")`
          : `arn:aws:s3:::${input.Bucket}/${target}`;
      if (
        needed === undefined ||
        input.Bucket !== bucket ||
        !grantsAllow(caller.grants, needed.action, target)
      ) {
        throw accessDenied(caller.functionModule, action, resource);
      }
      if (context.commandName === 'CopyObjectCommand') {
        const source = copySourceOf(input);
        if (
          source === undefined ||
          source.bucket !== bucket ||
          !grantsAllow(caller.grants, 's3:GetObject', source.key)
        ) {
          throw accessDenied(
            caller.functionModule,
            's3:GetObject',
            `arn:aws:s3:::${source?.bucket ?? ''}/${source?.key ?? ''}`,
          );
        }
      }
      return next(args);
    },
    { step: 'initialize', name: GUARD, priority: 'high' },
  );
}

/**
 * Guards the handlers' shared S3 client (`adapters/clients.ts`) on the bucket the environment names
 * (`guardBucket`): what the local stack does in its own process, and what each Lambda-like worker
 * of the local engine does in its process before an invocation, with the environment it inherited.
 */
export function guardHandlersBucket(): void {
  const bucket = process.env[ENV.bucket];
  if (bucket === undefined) throw new Error(`${ENV.bucket} is not set: start the local stack first`);
  guardBucket(s3Client(), bucket);
}
