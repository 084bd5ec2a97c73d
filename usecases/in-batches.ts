/**
 * Runs `work` over `items`, at most `width` at a time (a table's calls in parallel without
 * flooding it), in order of start; the first failure rejects (the calls already started finish).
 */
export async function inBatches<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}
