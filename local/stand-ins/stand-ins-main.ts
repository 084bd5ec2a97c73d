/**
 * The embedded stack's S3 and DynamoDB stand-ins in a process of their own (started by
 * `stand-ins-process.ts`), as in AWS neither runs in the orchestrator's process: the handlers'
 * workers then no longer compete with the engine for the CPU of one process. It tells the parent
 * its endpoints, forwards s3rver's object events in order, answers each `flush` after every event
 * told before it, stores the local files it is asked to import (`importFile`), writes the objects
 * it is asked to export (`exportObject`), and exits as soon as the IPC channel closes — the parent
 * stopped it, or died (killed, crashed): it never outlives the run.
 */

import { type StandInConfig, startStandInServers } from './stand-in-servers.ts';
import type { StandInsReply, StandInsRequest } from './stand-ins-process.ts';

const send = process.send?.bind(process);
if (send === undefined) throw new Error('stand-ins-main.ts runs as a child of stand-ins-process.ts');
const reply = (message: StandInsReply) => send(message);

// Before anything else: a parent gone while the servers start must not leave this process behind.
process.on('disconnect', () => process.exit(0));

const config = JSON.parse(process.argv[2] ?? '{}') as StandInConfig;
try {
  const servers = await startStandInServers(config);
  servers.onObjectEvent((record) => reply({ type: 'event', record }));
  /** Answers request `id` once `work` settles: with its value, or with its error's message. */
  const answer = (id: number, work: Promise<unknown>) =>
    work.then(
      (value) => reply({ type: 'answered', id, ...(typeof value === 'boolean' ? { value } : {}) }),
      (error: unknown) => reply({ type: 'answered', id, error: (error as Error).message }),
    );
  process.on('message', (request: StandInsRequest) => {
    // IPC messages keep their order: this answer follows every event told before the request.
    if (request.type === 'flush') reply({ type: 'answered', id: request.id });
    // The import's event is told before its answer.
    else if (request.type === 'import')
      void answer(request.id, servers.importFile(request.key, request.path));
    else void answer(request.id, servers.exportObject(request.key, request.path));
  });
  reply({ type: 'ready', s3Endpoint: servers.s3Endpoint, dynamoEndpoint: servers.dynamoEndpoint });
} catch (error) {
  // The parent stops this process on this answer (by closing the channel).
  reply({ type: 'failed', message: (error as Error).stack ?? String(error) });
}
