/**
 * `npm run bench -- staging`: partner dataset staging throughput, per dataset, on the partner
 * files of an end-to-end bench bucket (`bench-output/e2e-{N}/bucket/`, written by `npm run bench
 * -- e2e`), in one process on one core: rows/s of wall time and of CPU time. Staging from the
 * files' bytes (what `stageDataset` does) is set against staging from their text records (the
 * reader it falls back to, and the one it replaced), and each against its reader's ceiling:
 * splitting the bytes into field ranges (`CsvByteRows`), or reading the CSV text records
 * (`readRecords`), and nothing else. The staged files are kept in memory, so the bucket is left
 * as it was and no snapshot is reused.
 *
 *   npm run bench -- staging [--dir bench-output/e2e-200000/bucket] [--rounds 3]
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CsvByteRows } from '#formats/csv-byte-rows.ts';
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

  async copy(from: string, to: string): Promise<void> {
    this.written.set(to, this.written.get(from) ?? (await readFile(join(dir, from))));
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

/** Splits the files' bytes into records of field ranges and nothing else; counts the records. */
async function splitOnly(store: ObjectStore, sources: readonly StoredObject[]): Promise<number> {
  let rows = 0;
  for (const source of sources) {
    const splitter = new CsvByteRows();
    for await (const chunk of await store.open(source.key)) rows += splitter.push(chunk).count;
    rows += splitter.end().count;
  }
  return rows;
}

const rate = (rows: number, seconds: number) => `${(rows / seconds / 1e6).toFixed(2)}M`;
const partners = DATASET_NAMES.filter((name) => DATASETS[name].source.kind === 'folder');
const best = (a: Timing | undefined, b: Timing) => (a === undefined || b.cpu < a.cpu ? b : a);
const KINDS = ['split', 'bytes', 'read', 'records'] as const;
type Measure = (typeof KINDS)[number];
const totals = Object.fromEntries(KINDS.map((k) => [k, { rows: 0, wall: 0, cpu: 0 }])) as Record<
  Measure,
  Timing
>;
const cell = (t: Timing) => `${rate(t.rows, t.wall)} (${rate(t.rows, t.cpu)})`.padEnd(15);

function line(name: string, t: Record<Measure, Timing>): string {
  return (
    `  ${name.padEnd(17)} ${String(t.bytes.rows).padStart(9)}  ${cell(t.split)} ${cell(t.bytes)}` +
    ` ${cell(t.read)} ${cell(t.records)} ${(t.records.cpu / t.bytes.cpu).toFixed(2)}×`
  );
}

console.log(`partner staging on ${dir} (best CPU time of ${rounds} rounds), rows/s of wall (CPU) time`);
console.log('                               from bytes                      from text records');
console.log(
  '  dataset                rows  split only      staged          read only       staged          bytes vs text (cpu)',
);
for (const name of partners) {
  const timing: Partial<Record<Measure, Timing>> = {};
  for (let r = 0; r < rounds; r++) {
    const now = () => new Date().toISOString();
    const run: Record<Measure, (store: ObjectStore, sources: StoredObject[]) => Promise<number>> = {
      split: splitOnly,
      bytes: async (store) => (await stageDataset(name, { store, now })).rows,
      read: readOnly,
      records: async (store) => (await stageDataset(name, { store, now, reader: 'records' })).rows,
    };
    for (const kind of KINDS) {
      const store = new ReadOnlyDirStore();
      const sources = await listDatasetSources(name, store);
      timing[kind] = best(timing[kind], await timed(() => run[kind](store, sources)));
    }
  }
  const t = timing as Record<Measure, Timing>;
  for (const kind of KINDS) {
    totals[kind].rows += t[kind].rows;
    totals[kind].wall += t[kind].wall;
    totals[kind].cpu += t[kind].cpu;
  }
  console.log(line(name, t));
}
console.log(line('all partners', totals));
