import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '#adapters/clients.ts';
import { runAsStateMachine, type WorkflowBucketAccessLookup } from './function-context.ts';

/** One object of a listing, as ListObjectsV2 gives it. */
export interface ListedObject {
  readonly Key: string;
  readonly ETag: string;
  readonly LastModified: Date;
  readonly Size: number;
  readonly StorageClass: string;
}

/**
 * The S3 requests a state machine makes itself (a distributed Map's ItemReader and ResultWriter),
 * each made as that workflow's state machine: the bucket guard refuses what its role's grants
 * would not allow.
 */
export interface StateMachineBucket {
  getObject(workflow: string, bucket: string, key: string): Promise<Uint8Array>;
  putObject(workflow: string, bucket: string, key: string, body: string): Promise<void>;
  listObjects(workflow: string, bucket: string, prefix: string): Promise<ListedObject[]>;
}

/**
 * The embedded stack's bucket as a state machine reaches it: through the handlers' guarded S3
 * client, as `workflow`'s state machine (`runAsStateMachine`). SDK errors (`NoSuchKey`,
 * `AccessDenied` …) pass through unchanged.
 */
export function stateMachineBucket(accessOf?: WorkflowBucketAccessLookup): StateMachineBucket {
  return {
    getObject: (workflow, bucket, key) =>
      runAsStateMachine(
        workflow,
        async () => {
          const response = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          return (await response.Body?.transformToByteArray()) ?? new Uint8Array();
        },
        accessOf,
      ),
    putObject: (workflow, bucket, key, body) =>
      runAsStateMachine(
        workflow,
        async () => {
          await s3Client().send(
            new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }),
          );
        },
        accessOf,
      ),
    listObjects: (workflow, bucket, prefix) =>
      runAsStateMachine(
        workflow,
        async () => {
          const listed: ListedObject[] = [];
          let token: string | undefined;
          do {
            const page = await s3Client().send(
              new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
            );
            for (const o of page.Contents ?? []) {
              listed.push({
                Key: o.Key ?? '',
                ETag: o.ETag ?? '',
                LastModified: o.LastModified ?? new Date(0),
                Size: o.Size ?? 0,
                StorageClass: o.StorageClass ?? 'STANDARD',
              });
            }
            token = page.IsTruncated ? page.NextContinuationToken : undefined;
          } while (token !== undefined);
          return listed;
        },
        accessOf,
      ),
  };
}
