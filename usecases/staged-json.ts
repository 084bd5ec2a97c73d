import type { ZodType } from 'zod';
import type { ObjectStore } from './ports.ts';
import { readJsonIfWhole } from './read-json.ts';

/**
 * A staging's JSON (a file's staging or a snapshot) by `schema`, when written and readable and
 * `isIt` says it is the one asked for; `undefined` otherwise (an unreadable one is staged again).
 */
export async function readStagedJson<T>(
  store: ObjectStore,
  key: string,
  schema: ZodType<T>,
  isIt: (value: T) => boolean,
): Promise<T | undefined> {
  const json = await readJsonIfWhole(store, key);
  const parsed = schema.safeParse(json);
  return parsed.success && isIt(parsed.data) ? parsed.data : undefined;
}
