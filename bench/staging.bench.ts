/**
 * `npm run bench -- staging`: partner dataset staging throughput, per dataset, on the partner
 * files of an end-to-end bench bucket (`bench-output/e2e-{N}/bucket/`, written by `npm run bench
 * -- e2e`), against reading the same files' CSV records and nothing else (the parser's ceiling),
 * in one process on one core: rows/s of wall time and of CPU time. The staged files are kept in
 * memory, so the bucket is left as it was and no snapshot is reused.
 *
 *   npm run bench -- staging [--dir bench-output/e2e-200000/bucket] [--rounds 3]
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RESTART, readRecords } from '#formats/roster-file.ts';
import { DATASET_NAMES, DATASETS } from '#schemas/datasets.ts';
import type { ObjectStore, StoredObject } from '#usecases/ports.ts';
import { listDatasetSources, stageDataset } from '#usecases/stage-dataset.ts';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: join(process.cwd(), 'bench-output', 'e2e-200000', 'bucket') },
    rounds: { type: 'string', default: '3' },
  },
});
const dir = values.dir as string;
const rounds = Number(values.rounds);

/** Reads the bucket directory; keeps what staging writes in memory. */
class ReadOnlyDirStore implements ObjectStore {
  private readonly written = new Map<string, Uint8Array>();

  async open(key: string): Promise<AsyncIterable<Uint8Array>> {
    return createReadStream(join(dir, key), { highWaterMark: 1 << 20 });
  }

  async readBytes(key: string): Promise<Uint8Array | undefined> {
    return this.written.get(key) ?? (await readFile(join(dir, key)).catch(() => undefined));
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    this.written.set(key, typeof body === 'string' ? Buffer.from(body) : body);
  }

  async putStream(key: string, body: AsyncIterable<Uint8Array | string>): Promise<void> {
    const pieces: Buffer[] = [];
    for await (const piece of body)
      pieces.push(typeof piece === 'string' ? Buffer.from(piece) : Buffer.from(piece));
    this.written.set(key, Buffer.concat(pieces));
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const names = await readdir(join(dir, prefix)).catch(() => []);
    return Promise.all(
      names.map(async (n) => {
        const info = await stat(join(dir, prefix, n));
        return { key: `${prefix}${n}`, size: info.size, etag: `${info.size}-${info.mtimeMs}` };
      }),
    );
  }
}

interface Timing {
  rows: number;
  wall: number;
  cpu: number;
}

async function timed(run: () => Promise<number>): Promise<Timing> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const rows = await run();
  const used = process.cpuUsage(cpu);
  return { rows, wall: (performance.now() - started) / 1000, cpu: (used.user + used.system) / 1e6 };
}

async function readOnly(store: ObjectStore, sources: readonly StoredObject[]): Promise<number> {
  let rows = 0;
  for (const source of sources) {
    for await (const batch of readRecords(() => store.open(source.key), source.key, source.size)) {
      if (batch === RESTART) rows = 0;
      else rows += batch.length;
    }
  }
  return rows;
}

const rate = (rows: number, seconds: number) => `${(rows / seconds / 1e6).toFixed(2)}M`;
const partners = DATASET_NAMES.filter((name) => DATASETS[name].source.kind === 'folder');
const best = (a: Timing | undefined, b: Timing) => (a === undefined || b.cpu < a.cpu ? b : a);
const totals = { stage: { rows: 0, wall: 0, cpu: 0 }, read: { rows: 0, wall: 0, cpu: 0 } };

console.log(`partner staging on ${dir} (best CPU time of ${rounds} rounds)`);
console.log('  dataset            rows   read rows/s (cpu)   staged rows/s (cpu)   staging / reading');
for (const name of partners) {
  let stage: Timing | undefined;
  let read: Timing | undefined;
  for (let r = 0; r < rounds; r++) {
    const store = new ReadOnlyDirStore();
    const sources = await listDatasetSources(name, store);
    read = best(read, await timed(() => readOnly(store, sources)));
    const now = () => new Date().toISOString();
    stage = best(stage, await timed(async () => (await stageDataset(name, { store, now })).rows));
  }
  if (stage === undefined || read === undefined) continue;
  for (const [total, t] of [
    [totals.stage, stage],
    [totals.read, read],
  ] as const) {
    total.rows += t.rows;
    total.wall += t.wall;
    total.cpu += t.cpu;
  }
  console.log(
    `  ${name.padEnd(18)} ${String(stage.rows).padStart(9)}   ${rate(read.rows, read.wall)} (${rate(read.rows, read.cpu)})` +
      `        ${rate(stage.rows, stage.wall)} (${rate(stage.rows, stage.cpu)})          ${(stage.cpu / read.cpu).toFixed(2)}×`,
  );
}
const { stage, read } = totals;
console.log(
  `  ${'all partners'.padEnd(18)} ${String(stage.rows).padStart(9)}   ${rate(read.rows, read.wall)} (${rate(read.rows, read.cpu)})` +
    `        ${rate(stage.rows, stage.wall)} (${rate(stage.rows, stage.cpu)})          ${(stage.cpu / read.cpu).toFixed(2)}×`,
);
