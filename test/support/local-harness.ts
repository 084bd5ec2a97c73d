import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LocalEventBridge } from '#local/event-bridge.ts';
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';
import { LocalWorkflows } from '#local/local-workflows.ts';
import type { TaskInterceptor } from '#local/workflow-engine.ts';

/** The embedded stack with every workflow wired to object events, for end-to-end tests. */
export interface IngestHarness {
  readonly stack: LocalStack;
  readonly s3: S3Client;
  readonly bridge: LocalEventBridge;
  /** Interceptors by state name; tests set and clear them. */
  readonly interceptors: Record<string, TaskInterceptor | undefined>;
  put(key: string, body: string | Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array | undefined>;
  stop(): Promise<void>;
}

export async function startIngestHarness(): Promise<IngestHarness> {
  const stack = await startLocalStack();
  const interceptors: Record<string, TaskInterceptor | undefined> = {};
  const routed = new Proxy(interceptors, {
    // Interceptors are looked up per call, so a test can set one after the engines are built.
    get: (target, state: string) =>
      ((invoke, payload) => (target[state] ?? ((i, p) => i(p)))(invoke, payload)) as TaskInterceptor,
  });
  const workflows = await LocalWorkflows.create({ interceptors: routed });
  const bridge = new LocalEventBridge(stack, workflows);
  const s3 = new S3Client({ endpoint: stack.s3Endpoint, forcePathStyle: true });
  return {
    stack,
    s3,
    bridge,
    interceptors,
    async put(key, body) {
      await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: body }));
    },
    async get(key) {
      try {
        const response = await s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: key }));
        return await response.Body?.transformToByteArray();
      } catch (error) {
        if ((error as Error).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },
    async stop() {
      s3.destroy();
      await stack.stop();
    },
  };
}
