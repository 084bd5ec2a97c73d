import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type ApprovalServices, demoContacts, startApprovalServices } from '#local/cli/approval-services.ts';
import { LocalEventBridge } from '#local/engine/event-bridge.ts';
import { LocalWorkflows } from '#local/engine/local-workflows.ts';
import type { TaskInterceptor } from '#local/engine/workflow-engine.ts';
import type { BucketAccessLookup } from '#local/stand-ins/function-context.ts';
import { type LocalStack, startLocalStack } from '#local/stand-ins/local-stack.ts';

/** The embedded stack with every workflow wired to object events, for end-to-end tests. */
export interface IngestHarness {
  readonly stack: LocalStack;
  readonly s3: S3Client;
  readonly bridge: LocalEventBridge;
  readonly workflows: LocalWorkflows;
  /** The approval gate's local services (task tokens, e-mail outbox, approval site). */
  readonly services: ApprovalServices;
  /** Interceptors by state name; tests set and clear them. */
  readonly interceptors: Record<string, TaskInterceptor | undefined>;
  put(key: string, body: string | Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array | undefined>;
  stop(): Promise<void>;
}

/** Town codes of `TOWNS_CSV` (support/roster-builder.ts), for the contacts. */
const TOWN_CODES = ['shiqi', 'dongqu', 'xiaolan'];

/**
 * Starts the embedded stack with every workflow. `options.bucketAccess` replaces the functions'
 * declared bucket access (to see a refusal); by default each runs with its own.
 */
export async function startIngestHarness(
  options: { bucketAccess?: BucketAccessLookup } = {},
): Promise<IngestHarness> {
  const stack = await startLocalStack();
  const outbox = await mkdtemp(join(tmpdir(), 'payguard-outbox-'));
  const services = await startApprovalServices({ outboxDir: outbox, contacts: demoContacts(TOWN_CODES) });
  const interceptors: Record<string, TaskInterceptor | undefined> = {};
  const routed = new Proxy(interceptors, {
    // Interceptors are looked up per call, so a test can set one after the engines are built.
    get: (target, state: string) =>
      ((invoke, payload) => (target[state] ?? ((i, p) => i(p)))(invoke, payload)) as TaskInterceptor,
  });
  const workflows = await LocalWorkflows.create({
    interceptors: routed,
    broker: services.broker,
    bucketAccess: options.bucketAccess,
  });
  const bridge = new LocalEventBridge(stack, workflows);
  const s3 = new S3Client({ endpoint: stack.s3Endpoint, forcePathStyle: true });
  return {
    stack,
    s3,
    bridge,
    workflows,
    services,
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
      workflows.abortAll();
      s3.destroy();
      await services.stop();
      await stack.stop();
      await rm(outbox, { recursive: true, force: true });
    },
  };
}
