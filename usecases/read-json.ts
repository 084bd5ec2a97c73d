import type { ObjectStore } from './ports.ts';

/** A JSON object the pipeline itself wrote; its absence is a broken run, not a user error. */
export async function readJson<T>(store: ObjectStore, key: string): Promise<T> {
  const bytes = await store.readBytes(key);
  if (bytes === undefined) throw new Error(`${key} is missing`);
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
}
