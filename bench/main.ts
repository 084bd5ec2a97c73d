/**
 * `npm run bench`: runs the benches one after the other, each in its own process, or those named.
 * Other arguments are passed to every bench run.
 *
 *   npm run bench                          # ingest, month-check, watch
 *   npm run bench -- watch                 # the month watch on simulated cities (about a minute)
 *   npm run bench -- ingest --rows 200000
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BENCHES: Readonly<Record<string, string>> = {
  ingest: 'ingest.bench.ts',
  'month-check': 'month-check.bench.ts',
  watch: 'watch.bench.ts',
};

const args = process.argv.slice(2);
const named = args.filter((a) => a in BENCHES);
const passed = args.filter((a) => !(a in BENCHES));
for (const name of named.length > 0 ? named : Object.keys(BENCHES)) {
  const file = join(import.meta.dirname, BENCHES[name] as string);
  const run = spawnSync(process.execPath, [...process.execArgv, file, ...passed], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`bench ${name} failed (${run.signal ?? `exit ${run.status}`})`);
    process.exit(run.status ?? 1);
  }
}
