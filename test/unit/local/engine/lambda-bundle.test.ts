import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LambdaBundleSource, lambdaBundle, withLambdaBundle } from '#local/engine/lambda-bundle.ts';
import { LambdaWorkerPool } from '#local/engine/lambda-workers.ts';
import type { BucketGrants } from '#pipelines/bucket-access.ts';
import { setWorkerTestEnvironment } from './worker-test-environment.ts';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const NO_GRANTS: BucketGrants = { getObject: [], putObject: [], listPrefixes: [] };
let restoreEnvironment: () => void;
let scratch: string;
const pools: LambdaWorkerPool[] = [];

beforeAll(async () => {
  restoreEnvironment = setWorkerTestEnvironment();
  scratch = await mkdtemp(join(tmpdir(), 'payguard-bundle-'));
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  await rm(scratch, { recursive: true, force: true });
  restoreEnvironment();
});

const poolOf = (bundle: Awaited<ReturnType<typeof lambdaBundle>>) => {
  const pool = new LambdaWorkerPool({ size: 1, bundle });
  pools.push(pool);
  return pool;
};

/** A folder of function modules: `answer.ts` answers what `value.ts` holds. */
async function functionsWith(value: number): Promise<string> {
  const folder = join(scratch, 'functions');
  await mkdir(join(folder, 'lib'), { recursive: true });
  await writeFile(
    join(folder, 'answer.ts'),
    "import { VALUE } from './lib/value.ts';\nexport async function handler(): Promise<number> {\n  return VALUE;\n}\n",
  );
  await writeFile(join(folder, 'lib', 'value.ts'), `export const VALUE: number = ${value};\n`);
  return folder;
}

describe('lambdaBundle', () => {
  it("bundles the worker with each function module, run by a pool's workers with the bucket guard on", async () => {
    // Prepare
    const source: LambdaBundleSource = {
      root: ROOT,
      functionsFolder: join(import.meta.dirname, 'worker-handlers'),
      cacheFolder: join(scratch, 'cache-fixtures'),
    };

    // Act
    const bundle = await lambdaBundle(source);
    const pool = poolOf(bundle);
    const slept = await pool.invoke('sleep', 'Sleep', { ms: 1 }, NO_GRANTS);
    const refused = await pool.invoke('guarded', 'Guarded', { key: 'rosters/2026-11/a.csv' }, NO_GRANTS);
    const failed = await pool.invoke('fail', 'Fail', {}, NO_GRANTS).catch((error: Error) => error);

    // Assess
    const files = await readdir(bundle.folder);
    expect(files).toEqual(expect.arrayContaining(['lambda-worker-main.mjs', 'sleep.mjs', 'guarded.mjs']));
    expect(bundle.workerMain).toBe(join(bundle.folder, 'lambda-worker-main.mjs'));
    expect(slept.pid).not.toBe(process.pid);
    expect(slept.result).toEqual({ pid: slept.pid, concurrent: 1 });
    // The guard the bundled worker installs is the one the bundled handler's S3 client meets.
    expect(refused.result).toBe('AccessDenied');
    expect(failed).toMatchObject({ name: 'ReferenceDataError', message: 'the registry cannot be read' });
    expect((failed as Error).cause).toMatchObject({ name: 'ColumnMissing' });
  });

  it('keeps a bundle by content: found again as it was, made anew when a file it holds changes', async () => {
    // Prepare
    const source: LambdaBundleSource = {
      root: ROOT,
      functionsFolder: await functionsWith(1),
      cacheFolder: join(scratch, 'cache-content'),
    };
    const first = await lambdaBundle(source);
    const made = (await stat(first.workerMain)).mtimeMs;

    // Act
    const again = await lambdaBundle(source);
    // Only a module the function imports changes, not the function's own file.
    await functionsWith(2);
    const changed = await lambdaBundle(source);

    // Assess
    expect(again).toEqual(first);
    expect((await stat(again.workerMain)).mtimeMs).toBe(made);
    expect(changed.folder).not.toBe(first.folder);
    expect((await poolOf(changed).invoke('answer', 'Answer', {}, NO_GRANTS)).result).toBe(2);
    expect((await poolOf(first).invoke('answer', 'Answer', {}, NO_GRANTS)).result).toBe(1);
  });

  it('gives callers that make it at once the same bundle', async () => {
    // Prepare
    const source: LambdaBundleSource = {
      root: ROOT,
      functionsFolder: await functionsWith(3),
      cacheFolder: join(scratch, 'cache-race'),
    };

    // Act
    const [a, b] = await Promise.all([lambdaBundle(source), lambdaBundle(source)]);

    // Assess
    expect(a).toEqual(b);
    // Nothing left of the second making: one bundle, and the record of it.
    expect((await readdir(source.cacheFolder)).sort()).toEqual(
      ['current.json', a.folder.slice(source.cacheFolder.length + 1)].sort(),
    );
    expect((await poolOf(a).invoke('answer', 'Answer', {}, NO_GRANTS)).result).toBe(3);
  });
});

describe('withLambdaBundle', () => {
  it('leaves options that name their own modules as they are, and the sources when PAYGUARD_LAMBDA_BUNDLE=0', async () => {
    // Prepare
    const own = { size: 2, functionsFolder: join(import.meta.dirname, 'worker-handlers') };
    const before = process.env.PAYGUARD_LAMBDA_BUNDLE;

    // Act
    const kept = await withLambdaBundle(own);
    process.env.PAYGUARD_LAMBDA_BUNDLE = '0';
    const sources = await withLambdaBundle({ size: 2 }).finally(() => {
      if (before === undefined) delete process.env.PAYGUARD_LAMBDA_BUNDLE;
      else process.env.PAYGUARD_LAMBDA_BUNDLE = before;
    });

    // Assess
    expect(kept).toBe(own);
    expect(sources).toEqual({ size: 2 });
  });
});
