import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FUNCTION_BUNDLING } from '#pipelines/function-bundling.ts';
import { installedVersion, localCacheFolder } from './installed-packages.ts';
import type { LambdaWorkerPoolOptions } from './lambda-workers.ts';

/** The worker and its function modules, bundled: what `LambdaWorkerPool` forks and imports. */
export interface LambdaBundle {
  /** The folder of the bundle: `{folder}/{module}.mjs` for each function module. */
  readonly folder: string;
  /** The worker's main module in it (`lambda-worker-main.mjs`). */
  readonly workerMain: string;
}

/** What {@link lambdaBundle} bundles and where it keeps it; tests give their own. */
export interface LambdaBundleSource {
  /** The folder every path here is relative to, and from which the bundle's inputs are read. */
  readonly root: string;
  /** The folder of the function modules: each `.ts` file directly in it is one. */
  readonly functionsFolder: string;
  /** Where bundles are kept, one folder per content. */
  readonly cacheFolder: string;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKER_MAIN = join(import.meta.dirname, 'lambda-worker-main.ts');
/** A bundle no longer current is removed once this old (a process started earlier may still use it). */
const STALE_AFTER_MS = 60 * 60 * 1000;

/** The project's functions, bundled into `node_modules/.cache/payguard/lambda-bundle/` (`localCacheFolder`). */
const projectFunctions = (): LambdaBundleSource => ({
  root: ROOT,
  functionsFolder: join(ROOT, 'functions'),
  cacheFolder: localCacheFolder('lambda-bundle'),
});

/** `current.json` of the cache: the last bundle made, and the files it was made of. */
interface CurrentBundle {
  readonly key: string;
  /** The bundle's inputs outside `node_modules`, relative to the root (the packages are keyed by the lock file). */
  readonly inputs: readonly string[];
}

/**
 * The local engine's workers and function modules as one esbuild bundle, as Lambda runs a function
 * (`FUNCTION_BUNDLING`; in AWS each function is its own bundle, here the worker and every function
 * share their chunks, so a worker loads the SDK and each shared module once and the modules' state —
 * the bucket guard, the caller's context — is one). A worker loads it in ~0.3 s of CPU against
 * ~1.5–1.9 s for the same modules through tsx, which it paid at its start and at each function's
 * first invocation there.
 *
 * The bundle is kept by content: its key is the SHA-256 of the esbuild version, the bundling
 * options, `package-lock.json` and every file of the project it was made of, and it is made again
 * (~1.5–2 s) when any of them changed. Concurrent callers may each make it; the first one kept wins
 * and is the same bytes.
 */
export async function lambdaBundle(source: LambdaBundleSource = projectFunctions()): Promise<LambdaBundle> {
  const current = await readCurrent(source);
  if (current !== undefined) {
    const key = await keyOf(source, current.inputs).catch(() => undefined);
    if (key === current.key) {
      const bundle = bundleAt(source, key);
      if (await exists(bundle.workerMain)) return bundle;
    }
  }
  return await makeBundle(source);
}

function bundleAt(source: LambdaBundleSource, key: string): LambdaBundle {
  const folder = join(source.cacheFolder, key.slice(0, 24));
  return { folder, workerMain: join(folder, 'lambda-worker-main.mjs') };
}

async function makeBundle(source: LambdaBundleSource): Promise<LambdaBundle> {
  await mkdir(source.cacheFolder, { recursive: true });
  const building = await mkdtemp(join(source.cacheFolder, 'building-'));
  try {
    const functions = (await readdir(source.functionsFolder, { withFileTypes: true }))
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .map((e) => join(source.functionsFolder, e.name));
    // Loaded when a bundle is made, not on each run that finds it made.
    const { build } = await import('esbuild');
    const { metafile } = await build({
      entryPoints: [WORKER_MAIN, ...functions],
      bundle: true,
      splitting: true,
      platform: 'node',
      format: FUNCTION_BUNDLING.format,
      target: FUNCTION_BUNDLING.target,
      mainFields: [...FUNCTION_BUNDLING.mainFields],
      banner: { js: FUNCTION_BUNDLING.banner },
      outdir: building,
      entryNames: '[name]',
      chunkNames: 'chunks/[name]-[hash]',
      outExtension: { '.js': '.mjs' },
      sourcemap: 'linked',
      sourcesContent: false,
      absWorkingDir: source.root,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(metafile.inputs)
      .map((input) => relative(source.root, resolve(source.root, input)))
      .filter((input) => !input.split(/[\\/]/).includes('node_modules'))
      .sort();
    const key = await keyOf(source, inputs);
    const bundle = bundleAt(source, key);
    if (await exists(bundle.workerMain)) await rm(building, { recursive: true, force: true });
    else {
      await rename(building, bundle.folder).catch(async (error: unknown) => {
        // Another caller kept the same bundle first.
        if (!(await exists(bundle.workerMain))) throw error;
        await rm(building, { recursive: true, force: true });
      });
    }
    const record: CurrentBundle = { key, inputs };
    const written = join(source.cacheFolder, `current-${basename(building)}.json`);
    await writeFile(written, JSON.stringify(record));
    await rename(written, join(source.cacheFolder, 'current.json'));
    await removeStale(source, bundle.folder);
    return bundle;
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    throw error;
  }
}

async function readCurrent(source: LambdaBundleSource): Promise<CurrentBundle | undefined> {
  try {
    const parsed = JSON.parse(
      await readFile(join(source.cacheFolder, 'current.json'), 'utf8'),
    ) as CurrentBundle;
    return typeof parsed.key === 'string' && Array.isArray(parsed.inputs) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The content key of a bundle of `inputs`. @throws when an input cannot be read (it is gone). */
async function keyOf(source: LambdaBundleSource, inputs: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`esbuild ${installedVersion('esbuild')}\n${JSON.stringify(FUNCTION_BUNDLING)}\n`);
  hash.update(await readFile(join(source.root, 'package-lock.json')).catch(() => Buffer.alloc(0)));
  const contents = await Promise.all(inputs.map((input) => readFile(join(source.root, input))));
  inputs.forEach((input, i) => {
    hash.update(`\n${input}\n${(contents[i] as Buffer).length}\n`);
    hash.update(contents[i] as Buffer);
  });
  return hash.digest('hex');
}

/** Removes the bundles other than `keep` not touched for {@link STALE_AFTER_MS}. */
async function removeStale(source: LambdaBundleSource, keep: string): Promise<void> {
  for (const entry of await readdir(source.cacheFolder, { withFileTypes: true })) {
    const folder = join(source.cacheFolder, entry.name);
    if (!entry.isDirectory() || folder === keep) continue;
    const { mtimeMs } = await stat(folder);
    if (Date.now() - mtimeMs > STALE_AFTER_MS) await rm(folder, { recursive: true, force: true });
  }
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/**
 * `options` with the project's bundle (see {@link lambdaBundle}) unless they name their own modules
 * or `PAYGUARD_LAMBDA_BUNDLE=0` asks for the sources (a profile then names the project's files).
 * When the bundle cannot be made the workers run the sources, and stderr says why.
 */
export async function withLambdaBundle(options: LambdaWorkerPoolOptions): Promise<LambdaWorkerPoolOptions> {
  if (options.functionsFolder !== undefined || options.bundle !== undefined) return options;
  if (process.env.PAYGUARD_LAMBDA_BUNDLE === '0') return options;
  try {
    return { ...options, bundle: await lambdaBundle() };
  } catch (error) {
    process.stderr.write(
      `handlers not bundled (${(error as Error).message.split('\n')[0]}): the workers run their sources\n`,
    );
    return options;
  }
}
