/**
 * One Lambda-like execution environment of the local engine: a child process that serves one
 * invocation at a time, as a warm Lambda container does. Started by `lambda-workers.ts` with the
 * local stack's environment, it loads what every handler imports (the SDK clients, Powertools) at
 * once; a request's function module is imported on its first invocation here (the init phase) and
 * kept (a worker serves any module: see `LambdaWorkerPool`). It answers each request with the
 * handler's result (as JSON text: a Lambda result crosses a JSON boundary) or its error, and the
 * peak RSS and CPU time of this process during that invocation. It exits when the engine disconnects.
 */

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { guardHandlersBucket } from '#local/stand-ins/bucket-guard.ts';
import { runAsCaller } from '#local/stand-ins/function-context.ts';
import type { BucketGrants } from '#pipelines/bucket-access.ts';
import { toCrossing } from './invocation-error.ts';
import { lambdaContext } from './lambda-context.ts';
import type { WorkerReply, WorkerRequest } from './lambda-workers.ts';
import { peakRss, resetPeakRss } from './peak-memory.ts';

type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown>;

const send = process.send?.bind(process);
if (send === undefined) throw new Error('lambda-worker-main.ts runs as a child of lambda-workers.ts');

// What every handler module imports, loaded while the first request is on its way. A failure here
// shows again at the module's import.
const common = Promise.all([
  import('#functions/commons/dependencies.ts'),
  import('#functions/commons/powertools.ts'),
]).catch(() => undefined);

/**
 * Where the modules are: `functions/` unless the pool gave another folder and the modules' file
 * extension there (its bundle, `lambda-bundle.ts`: `.mjs`; its tests' handlers: `.ts`).
 */
const [folder, extension = '.ts'] = process.argv.slice(2);
const moduleUrl = (functionModule: string) =>
  folder === undefined
    ? `#functions/${functionModule}.ts`
    : pathToFileURL(join(folder, `${functionModule}${extension}`)).href;

const handlers = new Map<string, Promise<LambdaHandler>>();

function handlerOf(functionModule: string): Promise<LambdaHandler> {
  let handler = handlers.get(functionModule);
  if (handler === undefined) {
    handler = common
      .then(() => import(moduleUrl(functionModule)))
      .then((m) => (m as { handler: LambdaHandler }).handler);
    handlers.set(functionModule, handler);
  }
  return handler;
}

async function invoke(request: WorkerRequest): Promise<WorkerReply> {
  const { functionModule } = request;
  // What earlier invocations left behind is not this one's: collected before the peak is reset.
  (globalThis as { gc?: () => void }).gc?.();
  const reset = resetPeakRss();
  // What the worker holds as the invocation starts (left by earlier ones: code, warm clients, heap
  // pages V8 keeps): part of the peak, reported beside it.
  const startRss = process.memoryUsage.rss();
  const cpuAtStart = process.cpuUsage();
  const measured = () => {
    const cpu = process.cpuUsage(cpuAtStart);
    const cpuUs = cpu.user + cpu.system;
    return { peakRss: peakRss(), startRss, cpuUs, peakSince: reset ? 'invocation' : 'process' } as const;
  };
  try {
    // An import that fails fails the invocation (as Lambda's init error does), not the process.
    const handler = await handlerOf(functionModule);
    // Per invocation: the S3 client is per endpoint, and the guard is idempotent.
    guardHandlersBucket();
    const grants: BucketGrants = request.grants;
    const result = await runAsCaller({ functionModule, grants }, () =>
      handler(request.payload, lambdaContext(request.state)),
    );
    return { id: request.id, ok: true, result: JSON.stringify(result ?? null), ...measured() };
  } catch (error) {
    return { id: request.id, ok: false, error: toCrossing(error), ...measured() };
  }
}

process.on('message', (request: WorkerRequest) => {
  void invoke(request).then((reply) => send(reply));
});
// The engine closed the pool, or its process is gone: exit normally (exit hooks run).
process.on('disconnect', () => process.exit(0));
