import { constants, createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';
import { type Browser, chromium } from 'playwright-core';
import { localCacheFolder } from '#local/engine/installed-packages.ts';

/** The Chromium the browser tests drive, and where it came from (printed when it cannot start). */
export interface ChromiumChoice {
  readonly executablePath: string;
  readonly source: string;
}

const SYSTEM_NAMES = ['chromium', 'chromium-browser'];
const NPM_PACKAGE = '@sparticuz/chromium';

/**
 * Flags for a root user on a closed network: without the background-networking ones Chromium keeps
 * trying Google's hosts, and each refused connection slows the page down.
 */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function onPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    if (
      await access(candidate, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  return undefined;
}

/**
 * Unpacks the headless Chromium that `@sparticuz/chromium` ships inside the package (a devDependency:
 * an ordinary npm install, nothing downloaded at run time) into node_modules/.cache, once per version.
 * Not the package's own `executablePath()`: that writes a fixed /tmp/chromium in place, so a second
 * test file starting at the same time, or a run interrupted mid-unpack, gets a half-written browser it
 * then trusts for good. Here the file is written aside and renamed into place whole.
 */
async function npmChromium(): Promise<ChromiumChoice> {
  const entry = createRequire(import.meta.url).resolve(NPM_PACKAGE);
  const packageDir = join(dirname(entry), '..');
  const { version } = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const dir = localCacheFolder(`chromium-${version}`);
  const executablePath = join(dir, 'chromium');
  const source = `${NPM_PACKAGE} ${version}`;
  if (
    await access(executablePath, constants.X_OK).then(
      () => true,
      () => false,
    )
  )
    return { executablePath, source };
  await mkdir(dir, { recursive: true });
  const partial = `${executablePath}.${process.pid}.partial`;
  try {
    await pipeline(
      createReadStream(join(packageDir, 'bin', 'chromium.br')),
      createBrotliDecompress(),
      createWriteStream(partial, { mode: 0o755 }),
    );
    await rename(partial, executablePath);
  } finally {
    await rm(partial, { force: true });
  }
  return { executablePath, source };
}

/**
 * The system's Chromium when there is one (Debian's `chromium`), else the one from the npm registry.
 * No browser is ever downloaded at run time.
 */
export async function findChromium(): Promise<ChromiumChoice> {
  for (const name of SYSTEM_NAMES) {
    const executablePath = await onPath(name);
    if (executablePath) return { executablePath, source: `system ${name}` };
  }
  return npmChromium();
}

/** A headless Chromium driven by playwright-core, with the flags this closed network needs. */
export async function launchChromium(): Promise<Browser> {
  const { executablePath, source } = await findChromium();
  try {
    return await chromium.launch({ executablePath, headless: true, args: FLAGS });
  } catch (error) {
    throw new Error(`Chromium (${source}, ${executablePath}) did not start`, { cause: error });
  }
}
