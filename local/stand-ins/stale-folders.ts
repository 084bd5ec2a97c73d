import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Whether a process with this id is running (on this machine; one we may not signal counts). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the folders of `parent` whose name `pattern` matches with the id of the process that
 * made them as its first group, when that process is gone: what a run killed before it could
 * clean up (SIGKILL, a crash, a power cut) left behind. Folders of running processes, this one
 * included, stay. Returns the paths removed.
 */
export async function removeStaleFolders(parent: string, pattern: RegExp): Promise<string[]> {
  const names = await readdir(parent).catch(() => [] as string[]);
  const stale = names.filter((name) => {
    const pid = Number(pattern.exec(name)?.[1]);
    return Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && !isProcessAlive(pid);
  });
  const paths = stale.map((name) => join(parent, name));
  await Promise.all(paths.map((path) => rm(path, { recursive: true, force: true })));
  return paths;
}
