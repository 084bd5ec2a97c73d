/**
 * `npm run bench -- ingest`: ingest + validation throughput of a generated 1M-row roster, against a baseline
 * measured in the same run on the same file: csv-parse (the plain CSV library) reading the records
 * and nothing else. Each measurement runs in its own process so its peak RSS is its own.
 *
 *   npm run bench -- ingest [--rows N]
 */
import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse';
import { rosterUpload, townsFile } from '#schemas/bucket-layout.ts';
import { validateRoster } from '#usecases/validate-roster.ts';
import { FileObjectStore } from './file-object-store.ts';
import { BENCH_TOWNS_CSV, writeBenchRoster } from './roster-generator.ts';

const MONTH = '2026-10';
const KEY = rosterUpload.key({ month: MONTH, batch: 'bench', file: 'roster.csv' });
const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    measure: { type: 'string' },
    dir: { type: 'string' },
  },
});
const rows = Number(values.rows);
const dir = values.dir ?? join(process.cwd(), 'bench-output');

interface Measurement {
  name: string;
  seconds: number;
  records: number;
  maxRssMb: number;
}

async function measure(name: string): Promise<Measurement> {
  const started = performance.now();
  let records = 0;
  if (name === 'payguard') {
    const size = (await stat(join(dir, KEY))).size;
    const outcome = await validateRoster(
      {
        bucket: 'bench',
        key: KEY,
        version: '1',
        month: MONTH,
        batch: 'bench',
        fileName: 'roster.csv',
        size,
        order: '1',
        uploadId: '0123456789abcdef',
      },
      { store: new FileObjectStore(dir), now: () => new Date().toISOString() },
    );
    records = outcome.records;
  } else {
    const parser = createReadStream(join(dir, KEY), { highWaterMark: 1 << 20 }).pipe(
      parse({ bom: true, relax_column_count: true }),
    );
    for await (const _record of parser) records++;
    records--;
  }
  const seconds = (performance.now() - started) / 1000;
  return { name, seconds, records, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

async function main(): Promise<void> {
  if (values.measure) {
    process.stdout.write(JSON.stringify(await measure(values.measure)));
    return;
  }
  await mkdir(dirname(join(dir, KEY)), { recursive: true });
  await mkdir(dirname(join(dir, townsFile.key())), { recursive: true });
  await writeFile(join(dir, townsFile.key()), BENCH_TOWNS_CSV);
  console.log(`generating a ${rows.toLocaleString('en')}-row roster …`);
  await writeBenchRoster(join(dir, KEY), rows, MONTH);
  const mb = (await stat(join(dir, KEY))).size / 1e6;
  console.log(`  ${mb.toFixed(0)} MB at ${join(dir, KEY)}`);
  const run = (name: string): Measurement =>
    JSON.parse(
      execFileSync(
        process.execPath,
        [
          ...process.execArgv,
          process.argv[1] as string,
          '--measure',
          name,
          '--dir',
          dir,
          '--rows',
          String(rows),
        ],
        {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        },
      ),
    );
  const baseline = run('csv-parse');
  const payguard = run('payguard');
  const line = (m: Measurement) =>
    `  ${m.name.padEnd(10)} ${m.seconds.toFixed(2).padStart(7)} s  ${Math.round(m.records / m.seconds)
      .toLocaleString('en')
      .padStart(10)} rows/s  peak RSS ${m.maxRssMb.toFixed(0).padStart(5)} MB`;
  console.log('');
  console.log(`ingest + validation of ${rows.toLocaleString('en')} rows (one process each, one core):`);
  console.log(line(baseline));
  console.log(line(payguard));
  console.log('');
  console.log(
    `  ratio payguard / csv-parse time: ${(payguard.seconds / baseline.seconds).toFixed(2)}  (< 1 means payguard is faster)`,
  );
  console.log(`  target: >= 300,000 rows/s per core, peak RSS <= 1024 MB`);
  console.log(
    `  payguard: ${Math.round(payguard.records / payguard.seconds) >= 300_000 ? 'meets' : 'MISSES'} the throughput target, ${
      payguard.maxRssMb <= 1024 ? 'meets' : 'MISSES'
    } the memory target`,
  );
}

await main();
