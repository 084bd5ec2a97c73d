import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest global setup: every CDK App synthesised without an outdir leaves a `cdk.out*` folder in
 * the temp directory; remove the ones this test run created, so repeated runs do not fill the disk.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const list = async () => (await readdir(tmpdir())).filter((name) => name.startsWith('cdk.out'));
  const before = new Set(await list());
  return async () => {
    const created = (await list()).filter((name) => !before.has(name));
    await Promise.all(created.map((name) => rm(join(tmpdir(), name), { recursive: true, force: true })));
  };
}
