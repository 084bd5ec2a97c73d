/** What {@link forEachBounded} did: `error` is the first thrown, after which no new item was started. */
export interface BoundedRun {
  readonly error?: unknown;
}

/**
 * Runs `work` over `items` with at most `limit` at a time, each item once. On the first error no
 * further item is started, those already running are awaited, and the error is returned rather
 * than thrown: the caller still learns what the finished items did (and, say, audits it) before
 * failing.
 */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<BoundedRun> {
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async () => {
    while (failed === undefined && next < items.length) {
      const index = next++;
      try {
        await work(items[index] as T, index);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return failed ?? {};
}
