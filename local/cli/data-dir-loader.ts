import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { rosterUpload } from '#schemas/bucket-layout.ts';

interface LocalFile {
  readonly path: string;
  readonly key: string;
  readonly mtimeMs: number;
}

async function walk(dir: string, root: string, into: LocalFile[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, root, into);
    else if (entry.isFile()) {
      into.push({
        path,
        key: relative(root, path).split(sep).join('/'),
        mtimeMs: (await stat(path)).mtimeMs,
      });
    }
  }
}

const byUploadOrder = (a: LocalFile, b: LocalFile) =>
  a.mtimeMs - b.mtimeMs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Loads a data directory in the bucket layout as the bucket's initial content, each file stored by
 * the S3 stand-in as a PUT of its bytes would be, event included (`importFile`: the bytes copied
 * once, file to file): reference, register, partner and config files first, then the rosters of
 * each batch folder one by one in upload order (modification time, then file name; contract
 * section 1), each at least a few milliseconds after the previous so that event times order them.
 */
export async function loadDataDir(
  dir: string,
  deps: { importFile(key: string, path: string): Promise<void>; onUpload?: (key: string) => void },
): Promise<{ uploaded: number }> {
  const files: LocalFile[] = [];
  await walk(dir, dir, files);
  const isRoster = (f: LocalFile) => f.key.startsWith(rosterUpload.root);
  const rosters = files.filter(isRoster);
  const others = files.filter((f) => !isRoster(f)).sort((a, b) => (a.key < b.key ? -1 : 1));
  const batches = new Map<string, LocalFile[]>();
  for (const f of rosters) {
    const folder = f.key.split('/').slice(0, 3).join('/');
    batches.set(folder, [...(batches.get(folder) ?? []), f]);
  }
  const put = async (f: LocalFile) => {
    await deps.importFile(f.key, f.path);
    deps.onUpload?.(f.key);
  };
  for (const f of others) await put(f);
  for (const folder of [...batches.keys()].sort()) {
    for (const f of (batches.get(folder) ?? []).sort(byUploadOrder)) {
      await put(f);
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
  }
  return { uploaded: files.length };
}
