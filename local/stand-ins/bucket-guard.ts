import { type S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { s3Client } from '#adapters/clients.ts';
import { type BucketAction, grantsAllow } from '#pipelines/bucket-access.ts';
import { ENV } from '#schemas/tables.ts';
import { currentCaller } from './function-context.ts';

/** What a request names that a permission is checked on: its key, its listing's prefix, or a copy's source. */
type Resource = 'Key' | 'Prefix' | 'CopySource';

/** The permissions each S3 command needs, as IAM decides them; a command not here is refused. */
const ACTIONS: Readonly<Record<string, readonly { action: BucketAction; resource: Resource }[]>> = {
  GetObjectCommand: [{ action: 's3:GetObject', resource: 'Key' }],
  HeadObjectCommand: [{ action: 's3:GetObject', resource: 'Key' }],
  PutObjectCommand: [{ action: 's3:PutObject', resource: 'Key' }],
  // A copy reads its source as it writes its key.
  CopyObjectCommand: [
    { action: 's3:PutObject', resource: 'Key' },
    { action: 's3:GetObject', resource: 'CopySource' },
  ],
  CreateMultipartUploadCommand: [{ action: 's3:PutObject', resource: 'Key' }],
  UploadPartCommand: [{ action: 's3:PutObject', resource: 'Key' }],
  CompleteMultipartUploadCommand: [{ action: 's3:PutObject', resource: 'Key' }],
  ListObjectsV2Command: [{ action: 's3:ListBucket', resource: 'Prefix' }],
  ListObjectsCommand: [{ action: 's3:ListBucket', resource: 'Prefix' }],
};

const GUARD = 'payguardBucketGrants';

/** The fields of a request the guard reads. */
interface GuardedInput {
  readonly Bucket?: string;
  readonly Key?: string;
  readonly Prefix?: string;
  readonly CopySource?: string;
}

/**
 * The bucket and the key or prefix that `resource` of a request names. A copy's source is
 * `bucket/key`, URL-encoded, perhaps with `?versionId=`.
 */
function targetOf(input: GuardedInput, resource: Resource): { bucket: string; target: string } {
  if (resource === 'Key') return { bucket: input.Bucket ?? '', target: input.Key ?? '' };
  if (resource === 'Prefix') return { bucket: input.Bucket ?? '', target: input.Prefix ?? '' };
  const [bucket = '', ...key] = (input.CopySource ?? '').replace(/^\//, '').split('?')[0]?.split('/') ?? [];
  return { bucket, target: decodeURIComponent(key.join('/')) };
}

/** The resource as S3's AccessDenied message names it. */
const arnOf = ({ bucket, target }: { bucket: string; target: string }, resource: Resource) =>
  resource === 'Prefix' ? `arn:aws:s3:::${bucket} (prefix "${target}")` : `arn:aws:s3:::${bucket}/${target}`;

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
      const input = args.input as GuardedInput;
      const needs = ACTIONS[context.commandName ?? ''];
      if (needs === undefined) {
        const action = `s3:${(context.commandName ?? 'Unknown').replace(/Command$/, '')}`;
        throw accessDenied(caller.functionModule, action, arnOf(targetOf(input, 'Key'), 'Key'));
      }
      for (const { action, resource } of needs) {
        const at = targetOf(input, resource);
        if (at.bucket !== bucket || !grantsAllow(caller.grants, action, at.target))
          throw accessDenied(caller.functionModule, action, arnOf(at, resource));
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
