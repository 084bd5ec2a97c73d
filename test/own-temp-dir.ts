import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest global setup: the test run gets a temp directory of its own (`TMPDIR`, inherited by the
 * test workers), removed when the run ends. Every CDK App synthesised without an outdir leaves a
 * `cdk.out*` folder in the temp directory, and the embedded stack its `payguard-s3-*` folders; a
 * folder of its own keeps two test runs on one machine from removing each other's folders while
 * they are in use, and repeated runs from filling the disk.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const own = await mkdtemp(join(tmpdir(), 'payguard-test-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = own;
  return async () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    await rm(own, { recursive: true, force: true });
  };
}
