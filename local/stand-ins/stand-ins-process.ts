import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FUNCTION_ALLOCATOR_ENVIRONMENT } from '#pipelines/function-allocator.ts';
import type { S3NotificationRecord, StandInConfig, StandInServers } from './stand-in-servers.ts';

/** What the parent asks the stand-ins' process. */
export type StandInsRequest =
  | { readonly type: 'flush'; readonly id: number }
  | { readonly type: 'import' | 'export'; readonly id: number; readonly key: string; readonly path: string };

/** What the stand-ins' process tells its parent, in this order: `ready` (or `failed`), then the rest. */
export type StandInsReply =
  | { readonly type: 'ready'; readonly s3Endpoint: string; readonly dynamoEndpoint: string }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'event'; readonly record: S3NotificationRecord }
  /** A request done: with the export's answer (whether the key was there), or failed with `error`. */
  | { readonly type: 'answered'; readonly id: number; readonly value?: boolean; readonly error?: string };

const MAIN = join(import.meta.dirname, 'stand-ins-main.ts');
/** The loader `npm start` runs the CLI with (tsx), as the Lambda workers use it. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** The stand-ins' process exited before it was stopped, or would not start. */
export class StandInsExited extends Error {
  constructor(how: string) {
    super(`the S3 and DynamoDB stand-ins' process ${how}`);
    this.name = 'StandInsExited';
  }
}

/**
 * The Buffers the S3 stand-in streams (gigabytes a month, on a heap of ~20 MB) count towards V8's
 * global heap limit instead of a limit of their own, 64 MB above what the last full collection
 * left, which started a full collection every ~50 ms of a 1M-payee month: 323 of them, 6.1 s of
 * its main thread, against 181 and 2.9 s with it; RSS +60–100 MB. Node 24's V8 has the flag (the
 * stack runs on Node 24; an older Node refuses it at start, so it is left out there).
 */
const EXTERNAL_MEMORY_IN_GLOBAL_LIMIT =
  Number(process.versions.node.split('.')[0]) >= 24 ? ['--external-memory-accounted-in-global-limit'] : [];

/**
 * Starts s3rver and dynalite in a child process (`stand-ins-main.ts`) and resolves once both
 * listen. Its object events come over the IPC channel, in order, a little after the request that
 * made them is answered: `eventsDelivered` waits for those of every request answered so far.
 * `close` closes the channel (the child exits on it, as it does when this process dies) and waits
 * for its exit.
 */
export async function forkStandInServers(config: StandInConfig): Promise<StandInServers> {
  const child = fork(MAIN, [JSON.stringify(config)], {
    // s3rver's continuation tokens need the legacy OpenSSL provider (listings longer than a page).
    execArgv: ['--import', TSX, '--openssl-legacy-provider', ...EXTERNAL_MEMORY_IN_GLOBAL_LIMIT],
    // The functions' allocator settings: s3rver streams the same files through Buffers as they do.
    env: { ...process.env, ...FUNCTION_ALLOCATOR_ENVIRONMENT },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const listeners: ((record: S3NotificationRecord) => void)[] = [];
  // Flushes, imports and exports waiting for their answer, by request id.
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextRequest = 1;
  let stopping = false;
  let exitError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitError = new StandInsExited(signal ? `was ended by ${signal}` : `exited (${code})`);
      for (const request of waiting.values()) request.reject(exitError);
      waiting.clear();
      resolve();
    });
  });
  child.on('error', () => undefined);

  const ready = new Promise<{ s3Endpoint: string; dynamoEndpoint: string }>((resolve, reject) => {
    child.on('message', (message: StandInsReply) => {
      switch (message.type) {
        case 'ready':
          resolve(message);
          break;
        case 'failed':
          reject(new StandInsExited(`failed to start: ${message.message}`));
          break;
        case 'event':
          for (const listener of listeners) listener(message.record);
          break;
        case 'answered':
          if (message.error === undefined) waiting.get(message.id)?.resolve(message.value);
          else waiting.get(message.id)?.reject(new Error(message.error));
          waiting.delete(message.id);
          break;
      }
    });
    void exited.then(() => reject(exitError));
  });

  const close = async () => {
    stopping = true;
    if (child.connected) child.disconnect();
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };
  /** Sends a request and resolves on its answer; rejects once the process is gone. */
  const ask = <T = void>(request: (id: number) => StandInsRequest) => {
    if (exitError) return Promise.reject(stopping ? new StandInsExited('was stopped') : exitError);
    return new Promise<T>((resolve, reject) => {
      const id = nextRequest++;
      waiting.set(id, { resolve: (value) => resolve(value as T), reject });
      child.send(request(id));
    });
  };
  let endpoints: { s3Endpoint: string; dynamoEndpoint: string };
  try {
    endpoints = await ready;
  } catch (error) {
    await close();
    throw error;
  }
  return {
    s3Endpoint: endpoints.s3Endpoint,
    dynamoEndpoint: endpoints.dynamoEndpoint,
    pid: child.pid ?? 0,
    onObjectEvent(listener) {
      listeners.push(listener);
    },
    eventsDelivered: () => ask((id) => ({ type: 'flush', id })),
    importFile: (key, path) => ask((id) => ({ type: 'import', id, key, path })),
    exportObject: (key, path) => ask<boolean>((id) => ({ type: 'export', id, key, path })),
    close,
  };
}
