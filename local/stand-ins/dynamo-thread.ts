import { Worker } from 'node:worker_threads';

/** The DynamoDB stand-in on its thread: its endpoint, and how to stop it. */
export interface DynamoThread {
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts dynalite on a worker thread (`dynamo-thread-main.ts`) listening on a loopback, ephemeral
 * port, and resolves once it listens. At 1M payees the case table takes thousands of batch calls
 * while staged data streams through the S3 stand-in: on one thread, each waited for the other.
 * @throws Error when the thread fails or exits before it listens.
 */
export async function startDynamoThread(): Promise<DynamoThread> {
  const worker = new Worker(new URL('./dynamo-thread-main.ts', import.meta.url));
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  let closed: (() => void) | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    worker.on('message', (message: unknown) => {
      if (message === 'closed') closed?.();
      else resolve((message as { port: number }).port);
    });
    worker.on('error', reject);
    void exited.then((code) => reject(new Error(`the DynamoDB stand-in's thread exited (${code})`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async close() {
      const done = new Promise<void>((resolve) => {
        closed = resolve;
        void exited.then(() => resolve());
      });
      worker.postMessage('close');
      await done;
      await worker.terminate();
    },
  };
}
