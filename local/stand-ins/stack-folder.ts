import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeStaleFolders } from './stale-folders.ts';

/** The embedded stack's data bucket. */
export const BUCKET = 'payguard-data';
/** The stand-ins' temporary folders: the id of the process that made each is in its name. */
const STACK_FOLDER_PREFIX = 'payguard-s3-';
const STACK_FOLDER = /^payguard-s3-(\d+)-/;

/**
 * A new folder for the stand-ins' files, `payguard-s3-{pid}-…` under the system's temporary folder,
 * once the folders of stacks whose process is gone are removed.
 */
export async function makeStackFolder(): Promise<string> {
  await removeStaleFolders(tmpdir(), STACK_FOLDER);
  return mkdtemp(join(tmpdir(), `${STACK_FOLDER_PREFIX}${process.pid}-`));
}
