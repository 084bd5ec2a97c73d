import { constants, PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import middy from '@middy/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  externalMemoryInHeapLimit,
  takesExternalMemoryFlag,
} from '#functions/commons/external-memory-in-heap-limit.ts';

/** Full collections seen so far in this process. */
let fullCollections = 0;
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)
      fullCollections++;
  }
});

/** A full collection now (as the local workers run before each invocation). */
function collect(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Streams 640 MB through 4 MB Buffers, 32 MB of them alive at once; how many full collections ran. */
async function churn(): Promise<number> {
  const before = fullCollections;
  const alive: Buffer[] = [];
  for (let i = 0; i < 160; i++) {
    const chunk = Buffer.allocUnsafe(4 << 20);
    chunk.fill(i);
    alive.push(chunk);
    if (alive.length > 8) alive.shift();
  }
  // GC entries are delivered asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 100));
  return fullCollections - before;
}

describe('externalMemoryInHeapLimit', () => {
  beforeAll(() => observer.observe({ entryTypes: ['gc'] }));
  afterAll(() => observer.disconnect());

  it('spares a handler streaming Buffers the full collections external memory starts, and only while it runs', async () => {
    collect();
    const plain = await churn();
    const handler = middy()
      .use(externalMemoryInHeapLimit())
      .handler(async () => churn());
    collect();
    const within = await handler({}, {} as never);
    collect();
    const after = await churn();
    // By default every ~64 MB of Buffers grown starts one: ~10 over 640 MB.
    expect(plain).toBeGreaterThanOrEqual(5);
    expect(within).toBeLessThan(plain / 2);
    expect(after).toBeGreaterThanOrEqual(5);
  });

  it('turns the setting off again when the handler throws', async () => {
    const handler = middy()
      .use(externalMemoryInHeapLimit())
      .handler(async () => {
        throw new Error('broken partition');
      });
    await expect(handler({}, {} as never)).rejects.toThrow('broken partition');
    collect();
    expect(await churn()).toBeGreaterThanOrEqual(5);
  });

  it('is set only on a V8 that takes the flag: 13 to 14.7 (14.8 made it the default and removed it)', () => {
    expect(takesExternalMemoryFlag(process.versions.v8)).toBe(true);
    expect(takesExternalMemoryFlag('13.6.233.17-node.53')).toBe(true);
    expect(takesExternalMemoryFlag('14.6.202.0')).toBe(true);
    expect(takesExternalMemoryFlag('14.7.1')).toBe(true);
    expect(takesExternalMemoryFlag('14.8.0')).toBe(false);
    expect(takesExternalMemoryFlag('15.0.1')).toBe(false);
    expect(takesExternalMemoryFlag('12.4.254.21-node.33')).toBe(false);
  });
});
