import type { ZodType } from 'zod';
import type { ObjectStore } from './ports.ts';

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
  const bytes = await store.readBytes(key);
  if (bytes === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success && isIt(parsed.data) ? parsed.data : undefined;
}
