/**
 * `npm run bench`: the benches, each in its own process, one after the other; exits non-zero when
 * one fails (an end-to-end run whose outputs disagree with DuckDB's, a check whose findings do).
 *
 *   npm run bench                                     all three at their default sizes
 *   npm run bench -- ingest [--rows 1000000]          roster ingest + validation vs csv-parse
 *   npm run bench -- check [--rows 200000,1000000]    the month check on staged data vs DuckDB SQL
 *   npm run bench -- e2e [--payees 200000,1000000] [--duckdb-threads N]
 *                                                     the whole month (`run`) vs DuckDB SQL
 *   npm run bench -- --payees 5000000                 the end-to-end bench alone, at that size
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BENCHES = {
  ingest: 'ingest.bench.ts',
  check: 'month-check.bench.ts',
  e2e: 'end-to-end.bench.ts',
} as const;
type BenchName = keyof typeof BENCHES;

const isBench = (arg: string): arg is BenchName => Object.hasOwn(BENCHES, arg);

function plan(argv: readonly string[]): { benches: BenchName[]; options: string[] } {
  const firstOption = argv.findIndex((arg) => arg.startsWith('-'));
  const names = firstOption < 0 ? [...argv] : argv.slice(0, firstOption);
  const options = firstOption < 0 ? [] : argv.slice(firstOption);
  const unknown = names.filter((name) => !isBench(name));
  if (unknown.length > 0) {
    throw new Error(`unknown bench "${unknown[0]}": one of ${Object.keys(BENCHES).join(', ')}`);
  }
  const benches = names.filter(isBench);
  if (benches.length === 0 && options.length === 0) return { benches: ['ingest', 'check', 'e2e'], options };
  if (benches.length === 0 && options.some((o) => o === '--payees' || o.startsWith('--payees='))) {
    return { benches: ['e2e'], options };
  }
  if (options.length > 0 && benches.length !== 1) {
    throw new Error(`options go to one bench: name it first (npm run bench -- e2e ${options.join(' ')})`);
  }
  return { benches, options };
}

let failed = false;
try {
  const { benches, options } = plan(process.argv.slice(2));
  for (const bench of benches) {
    const run = spawnSync(
      process.execPath,
      [...process.execArgv, join(import.meta.dirname, BENCHES[bench]), ...options],
      { stdio: 'inherit' },
    );
    if (run.status !== 0) {
      process.stderr.write(`bench ${bench} failed (${run.status ?? run.signal})\n`);
      failed = true;
    }
  }
} catch (error) {
  process.stderr.write(`npm run bench: ${(error as Error).message}\n`);
  failed = true;
}
process.exitCode = failed ? 1 : 0;
