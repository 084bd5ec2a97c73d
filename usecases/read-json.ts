import type { ZodType } from 'zod';
import { UploadVanishedError } from './errors.ts';
import type { ObjectStore } from './ports.ts';

/** A JSON object the pipeline itself wrote; its absence is a broken run, not a user error. */
export async function readJson<T>(store: ObjectStore, key: string): Promise<T> {
  const bytes = await store.readBytes(key);
  if (bytes === undefined) throw new Error(`${key} is missing`);
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
}

/**
 * A JSON file the pipeline wrote earlier and may write again, parsed: `undefined` when it is
 * absent or is not JSON (a torn or foreign write), which the caller then writes anew.
 */
export async function readJsonIfWhole(store: ObjectStore, key: string): Promise<unknown> {
  const bytes = await store.readBytes(key);
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * A JSON file the pipeline wrote earlier, by `schema`, when it is whole (see
 * {@link readJsonIfWhole}), fits the schema and `isIt` says it is the one asked for (a staging of
 * this file, the totals of this release); `undefined` otherwise, which the caller then writes anew
 * or does without.
 */
export async function readJsonIfWholeAs<T>(
  store: ObjectStore,
  key: string,
  schema: ZodType<T>,
  isIt: (value: T) => boolean,
): Promise<T | undefined> {
  const parsed = schema.safeParse(await readJsonIfWhole(store, key));
  return parsed.success && isIt(parsed.data) ? parsed.data : undefined;
}

/** Streams a file the pipeline itself wrote; its absence is a broken run, not a user error. */
export async function openWritten(store: ObjectStore, key: string): Promise<AsyncIterable<Uint8Array>> {
  try {
    return await store.open(key);
  } catch (error) {
    if (error instanceof UploadVanishedError) throw new Error(`${key} is missing`);
    throw error;
  }
}
