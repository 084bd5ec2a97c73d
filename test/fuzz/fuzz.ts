/**
 * `npm run fuzz [-- --runs N] [--seed S] [--workers W] [--chunks 7,65536]`: mutates the demonstration generator's
 * rosters (see `roster-mutations.ts`) N times (default 10,000, a random seed unless given) and
 * ingests each case at each read chunk size (`ingest-case.ts`; 1 byte too with `--chunks 1,7,64,65536`), in W worker threads (default 2).
 * A case running longer than 5 s is a hang: its worker is terminated and replaced. Prints the
 * counts and the seed; writes each failing case's file to `test-output/fuzz/`; exits 1 on any
 * crash, hang or broken invariant.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import type { CaseResult } from './ingest-case.ts';
import { applyCase, type CaseSpec, caseSpec } from './roster-mutations.ts';
import { rosterSeeds, type SeedSet } from './roster-seeds.ts';

const CASE_TIMEOUT_MS = 5_000;
const OUTPUT = join('test-output', 'fuzz');

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10000' },
    seed: { type: 'string' },
    workers: { type: 'string', default: '2' },
    // A byte at a time costs ten times the others, and the machine is shared: `npm test` reads its
    // 300 cases at 1, 7, 64 and 65536.
    chunks: { type: 'string', default: '7,65536' },
  },
});
const runs = Number(values.runs);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const workerCount = Math.max(1, Number(values.workers));
const chunkSizes = values.chunks.split(',').map(Number);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed) || !chunkSizes.every((n) => n >= 1)) {
  console.error('usage: npm run fuzz -- [--runs N] [--seed S] [--workers W] [--chunks 7,65536]');
  process.exit(2);
}

const started = Date.now();
const set: SeedSet = await rosterSeeds();
const specs: CaseSpec[] = fc.sample(caseSpec(set.seeds.map((s) => s.format)), { seed, numRuns: runs });
console.log(
  `fuzz: ${runs} cases, seed ${seed}, ${set.seeds.length} seed rosters, ${workerCount} worker(s), chunk sizes ${chunkSizes.join(', ')}`,
);

type Verdict = CaseResult['status'] | 'HANG';
const counts = { cases: 0, ACCEPTED: 0, REJECTED: 0, CRASH: 0, HANG: 0, VIOLATION: 0 };
const byFinding = new Map<string, number>();
const byRule = new Map<string, number>();
const byFormat = new Map<string, Record<string, number>>();
const failures: string[] = [];
const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

async function record(index: number, spec: CaseSpec, verdict: Verdict, result?: CaseResult) {
  const roster = set.seeds[spec.seed];
  const format = roster?.format ?? '?';
  const row = byFormat.get(format) ?? { cases: 0, ACCEPTED: 0, REJECTED: 0, CRASH: 0, HANG: 0, VIOLATION: 0 };
  byFormat.set(format, row);
  counts.cases++;
  row.cases = (row.cases ?? 0) + 1;
  counts[verdict]++;
  row[verdict] = (row[verdict] ?? 0) + 1;
  if (result?.fileFinding) bump(byFinding, result.fileFinding);
  const rules = new Set(result?.problems.map((p) => p.rule));
  for (const rule of rules) bump(byRule, rule);
  const unknown = result?.problems ?? [];
  if (verdict !== 'CRASH' && unknown.length > 0) {
    counts.VIOLATION++;
    row.VIOLATION = (row.VIOLATION ?? 0) + 1;
  }
  if (verdict === 'HANG' || verdict === 'CRASH' || unknown.length > 0) {
    await mkdir(OUTPUT, { recursive: true });
    const name = `${seed}-${index}-${roster?.fileName ?? 'case'}`;
    if (roster) await writeFile(join(OUTPUT, name), applyCase(roster.bytes, spec));
    const why = verdict === 'HANG' ? `no answer within ${CASE_TIMEOUT_MS} ms` : unknown[0]?.detail;
    failures.push(
      `case ${index} (${roster?.key}, ${JSON.stringify(spec)}): ${verdict}: ${why} → ${join(OUTPUT, name)}`,
    );
  }
}

/** A worker that has loaded its modules: a case's time starts only then. */
async function readyWorker(): Promise<Worker> {
  const worker = new Worker(new URL('./fuzz-worker.ts', import.meta.url), {
    workerData: { set, chunkSizes },
  });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  return worker;
}

/** Runs the cases from a shared queue, one at a time per worker; a worker that hangs is replaced. */
async function drain(queue: [number, CaseSpec][]): Promise<void> {
  let worker = await readyWorker();
  try {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const [index, spec] = next;
      const answer = await new Promise<CaseResult | 'HANG'>((resolve, reject) => {
        const timer = setTimeout(() => resolve('HANG'), CASE_TIMEOUT_MS);
        const onMessage = (m: { id: number; result: CaseResult }) => {
          if (m.id !== index) return;
          clearTimeout(timer);
          worker.off('message', onMessage);
          worker.off('error', onError);
          resolve(m.result);
        };
        const onError = (error: unknown) => {
          clearTimeout(timer);
          worker.off('message', onMessage);
          reject(error);
        };
        worker.on('message', onMessage);
        worker.once('error', onError);
        worker.postMessage({ id: index, spec });
      }).catch((error: unknown): CaseResult => {
        // The worker itself died (an error escaped outside the use case): a crash.
        return { status: 'CRASH', problems: [{ rule: 'no-crash', detail: String(error) }] };
      });
      if (
        answer === 'HANG' ||
        answer.problems.some((p) => p.rule === 'no-crash' && p.detail.startsWith('Error'))
      ) {
        await worker.terminate();
        worker = await readyWorker();
      }
      if (answer === 'HANG') await record(index, spec, 'HANG');
      else await record(index, spec, answer.status, answer);
      if (counts.cases % 1000 === 0)
        console.log(`  ${counts.cases} cases, ${Math.round((Date.now() - started) / 1000)} s`);
    }
  } finally {
    await worker.terminate();
  }
}

const queue = specs.map((spec, index): [number, CaseSpec] => [index, spec]);
await Promise.all(Array.from({ length: workerCount }, () => drain(queue)));

const line = (label: string, map: Map<string, number>) =>
  `${label}: ${
    [...map]
      .sort()
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || 'none'
  }`;
console.log(
  [
    `cases ${counts.cases}  accepted ${counts.ACCEPTED}  rejected ${counts.REJECTED}  crashes ${counts.CRASH}  hangs ${counts.HANG}  invariant violations ${counts.VIOLATION}`,
    line('rejected as', byFinding),
    line('invariants broken', byRule),
    'per format:',
    ...[...byFormat]
      .sort()
      .map(
        ([format, r]) =>
          `  ${format.padEnd(8)} cases ${r.cases ?? 0}  accepted ${r.ACCEPTED ?? 0}  rejected ${r.REJECTED ?? 0}  crashes ${r.CRASH ?? 0}  hangs ${r.HANG ?? 0}  violations ${r.VIOLATION ?? 0}`,
      ),
    `seed ${seed} (npm run fuzz -- --seed ${seed} --runs ${runs} repeats this run), ${Math.round((Date.now() - started) / 1000)} s`,
    ...failures.slice(0, 20),
  ].join('\n'),
);
process.exit(counts.CRASH + counts.HANG + counts.VIOLATION > 0 ? 1 : 0);
