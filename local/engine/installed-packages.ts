import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** The folder of an installed package, resolved from `from` if given (its `exports` may not name its `package.json`). */
export function packageDir(name: string, from?: string): string {
  const entry = require.resolve(name, from === undefined ? undefined : { paths: [from] });
  const marker = `${join('node_modules', name)}`;
  return entry.slice(0, entry.lastIndexOf(marker) + marker.length);
}

/** The version of an installed package (see {@link packageDir}). */
export function installedVersion(name: string, from?: string): string {
  const dir = packageDir(name, from);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * `node_modules/.cache/payguard/{name}`, beside the installed packages: where the local engine and
 * the tests keep what they make once and reuse (validated definitions, the functions' bundle, the
 * unpacked test browser). A new `npm ci` starts it afresh.
 */
export function localCacheFolder(name: string): string {
  return join(packageDir('aws-local-stepfunctions'), '..', '.cache', 'payguard', name);
}
