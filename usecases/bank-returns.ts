import { bankReturnFile, closeoutJson } from '#schemas/bucket-layout.ts';
import { isDatasetFileName } from '#schemas/datasets.ts';
import type { ObjectStore, StoredObject } from './ports.ts';
import { readJson } from './read-json.ts';

/** The month's bank return files: `.csv` directly in `bank-returns/{month}/`, by name. */
export async function listBankReturns(store: ObjectStore, month: string): Promise<StoredObject[]> {
  const prefix = bankReturnFile.folder({ month });
  return (await store.list(prefix))
    .filter((o) => {
      const name = o.key.slice(prefix.length);
      // The same files as a partner folder's: `.csv` (any case), not starting with `.`.
      return !name.includes('/') && isDatasetFileName(name);
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Whether there are bank return files the last close-out did not see (new, or changed). */
export async function hasUnreconciledReturns(store: ObjectStore, month: string): Promise<boolean> {
  const files = await listBankReturns(store, month);
  if (files.length === 0) return false;
  const closeoutKey = closeoutJson.key({ month });
  if ((await store.readBytes(closeoutKey)) === undefined) return true;
  const last = await readJson<{ sources?: { key: string; etag: string }[] }>(store, closeoutKey);
  const seen = new Set((last.sources ?? []).map((s) => `${s.key}@${s.etag}`));
  return files.some((f) => !seen.has(`${f.key}@${f.etag}`));
}
