/**
 * A worker of `npm run fuzz`: runs the cases the main thread posts, one at a time, and answers each
 * with its result. A case that never answers is a hang: the main thread terminates this worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runIngestCase } from './ingest-case.ts';
import { applyCase, type CaseSpec } from './roster-mutations.ts';
import type { SeedSet } from './roster-seeds.ts';

const { set, chunkSizes } = workerData as { set: SeedSet; chunkSizes: number[] };
const port = parentPort;
if (port === null) throw new Error('fuzz-worker.ts runs as a worker of fuzz.ts');

port.on('message', async ({ id, spec }: { id: number; spec: CaseSpec }) => {
  const seed = set.seeds[spec.seed];
  if (seed === undefined) throw new Error(`no seed ${spec.seed}`);
  const bytes = applyCase(seed.bytes, spec);
  const result = await runIngestCase(set.towns, set.month, seed.fileName, bytes, chunkSizes);
  port.postMessage({ id, result });
});
port.postMessage('ready');
