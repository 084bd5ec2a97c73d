/**
 * The DynamoDB stand-in (dynalite, tables in memory) on a thread of its own (started by
 * `dynamo-thread.ts`): it answers the case table's thousands of batch calls while the S3 stand-in
 * serves the same run's reads and writes on the thread beside it, as the two are separate services
 * in AWS. It posts `{ port }` once it listens, and closes on `'close'` (posting `'closed'`).
 * Plain erasable TypeScript with no project import: Node runs it as it is, under tsx or vitest.
 */
import type { AddressInfo } from 'node:net';
import { parentPort } from 'node:worker_threads';
import dynalite from 'dynalite';

const parent = parentPort;
if (parent === null) throw new Error('dynamo-thread-main.ts runs as a worker thread of dynamo-thread.ts');

const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', () => {
  parent.postMessage({ port: (server.address() as AddressInfo).port });
});
parent.on('message', (message: unknown) => {
  if (message !== 'close') return;
  // Keep-alive connections of the run's SDK clients would hold the close open.
  server.closeAllConnections();
  server.close(() => parent.postMessage('closed'));
});
