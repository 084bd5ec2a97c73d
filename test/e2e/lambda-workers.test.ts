import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateBankReturns } from '#demo/bank-returns.ts';
import { generateDemoMonth } from '#demo/generate-month.ts';
import { seedDemoMetricsHistory } from '#demo/metrics-history.ts';
import { runMonth } from '#local/cli/run-month.ts';

const MONTH = '2026-10';
let root: string;
/** Module of each live worker when the worker run ended. */
let workerModules: string[] = [];

/** Every CSV and validation report under `dir`, by path, minus what depends on the clock. */
async function outputs(dir: string): Promise<Map<string, string>> {
  const files = (await readdir(dir, { recursive: true }))
    .filter((f) => f.endsWith('.csv') || (f.startsWith('validation') && f.endsWith('.txt')))
    .sort();
  const read = async (file: string): Promise<[string, string]> => {
    const lines = (await readFile(join(dir, file), 'utf8'))
      .split('\n')
      .filter((l) => !l.includes('Checked at'));
    if (!file.endsWith('cases.csv')) return [file, lines.join('\n')];
    // When a case was opened and closed is the run's clock.
    const header = (lines[0] ?? '').split(',');
    const clock = new Set(['opened_at', 'closed_at'].map((c) => header.indexOf(c)));
    return [
      file,
      lines
        .map((l) =>
          l
            .split(',')
            .filter((_, i) => !clock.has(i))
            .join(','),
        )
        .join('\n'),
    ];
  };
  return new Map(await Promise.all(files.map(read)));
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'payguard-workers-'));
  const data = join(root, 'data');
  // Every town's roster (the pool's queue of invocations), but small ones: what is compared is
  // where the handlers ran, not how many rows they read.
  const manifest = await generateDemoMonth({ dir: data, month: MONTH, payeesPerTown: 100 });
  await seedDemoMetricsHistory(data, MONTH, manifest.towns);
  const run = (out: string, workers: boolean) =>
    runMonth({
      dataDir: data,
      month: MONTH,
      outDir: join(root, out),
      approve: 'auto',
      sampleSeed: '7',
      workers: workers ? { size: 2 } : false,
      simulateBank: (release) => simulateBankReturns(MONTH, release),
      observe: {
        async stopping({ workflows }) {
          if (workers) workerModules = (workflows?.workers?.list() ?? []).flatMap((w) => w.modules);
        },
      },
    });
  await run('in-process', false);
  await run('workers', true);
}, 600_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the local engine with Lambda-like workers', () => {
  it('ran the handlers in workers', () => {
    expect(workerModules.length).toBeGreaterThan(0);
  });

  it('writes every CSV output and validation report byte for byte as the in-process engine does', async () => {
    // Act
    const [inProcess, workers] = await Promise.all([
      outputs(join(root, 'in-process')),
      outputs(join(root, 'workers')),
    ]);

    // Assess
    expect([...workers.keys()]).toEqual([...inProcess.keys()]);
    expect([...inProcess.keys()]).toEqual(
      expect.arrayContaining(['findings.csv', 'release.csv', 'closeout.csv']),
    );
    for (const [file, text] of inProcess) {
      expect(workers.get(file), relative(root, file)).toBe(text);
    }
  });
});
