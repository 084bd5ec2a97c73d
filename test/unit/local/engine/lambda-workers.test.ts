import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LambdaWorkerPool } from '#local/engine/lambda-workers.ts';
import type { BucketGrants } from '#pipelines/bucket-access.ts';
import { setWorkerTestEnvironment } from './worker-test-environment.ts';

const NO_GRANTS: BucketGrants = { getObject: [], putObject: [], listPrefixes: [] };
const MB = 2 ** 20;
let restoreEnvironment: () => void;
let pool: LambdaWorkerPool;

beforeAll(() => {
  restoreEnvironment = setWorkerTestEnvironment();
  pool = new LambdaWorkerPool({ size: 2, functionsFolder: join(import.meta.dirname, 'worker-handlers') });
});

afterAll(async () => {
  await pool.close();
  restoreEnvironment();
});

describe('LambdaWorkerPool', () => {
  it('runs an invocation in a warm worker, reused, its result crossing JSON', async () => {
    // Act
    const first = await pool.invoke('sleep', 'Sleep', { ms: 1 }, NO_GRANTS);
    const second = await pool.invoke('sleep', 'Sleep', { ms: 1 }, NO_GRANTS);

    // Assess
    expect(first.pid).not.toBe(process.pid);
    expect(second.pid).toBe(first.pid);
    expect(second.result).toEqual({ pid: first.pid, concurrent: 1 });
    expect(second.result).not.toHaveProperty('absent');
    expect(pool.list().filter((w) => w.modules.includes('sleep'))).toHaveLength(1);
  });

  it('serves another function module in the same warm worker, importing it once', async () => {
    // Prepare
    const first = await pool.invoke('sleep', 'Sleep', { ms: 1 }, NO_GRANTS);

    // Act
    const other = await pool.invoke('allocate', 'Allocate', { megabytes: 1 }, NO_GRANTS);
    const back = await pool.invoke('sleep', 'Sleep', { ms: 1 }, NO_GRANTS);

    // Assess
    expect(other.pid).toBe(first.pid);
    expect(back.pid).toBe(first.pid);
    const worker = pool.list().find((w) => w.pid === first.pid);
    expect(worker?.modules.sort()).toEqual(['allocate', 'sleep']);
    expect(pool.list().length).toBeLessThanOrEqual(2);
  });

  it('gives a worker one invocation at a time and runs no more at once than its size', async () => {
    // Act
    const runs = await Promise.all(
      [0, 1, 2].map(() => pool.invoke('sleep', 'Sleep', { ms: 400 }, NO_GRANTS)),
    );

    // Assess
    const results = runs.map((r) => r.result as { pid: number; concurrent: number });
    expect(results.map((r) => r.concurrent)).toEqual([1, 1, 1]);
    expect(new Set(runs.map((r) => r.pid)).size).toBe(2);
    // The third waited until one of the first two had finished.
    const [a, b, c] = [...runs].sort((x, y) => x.started - y.started) as [
      (typeof runs)[0],
      (typeof runs)[0],
      (typeof runs)[0],
    ];
    expect(c.started - Math.min(a.started, b.started)).toBeGreaterThanOrEqual(350);
  });

  it("lets a handler's error through with its name, message and cause", async () => {
    // Act
    const outcome = pool.invoke('fail', 'Fail', {}, NO_GRANTS);

    // Assess
    const error = (await outcome.catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('ReferenceDataError');
    expect(error.message).toBe('the registry cannot be read');
    expect((error.cause as Error).name).toBe('ColumnMissing');
    expect((error.cause as Error).message).toBe('the registry file has no id_number column');
  });

  it('fails the invocation of a worker that dies as Lambda.Unknown, and replaces the worker', async () => {
    // Act
    const crashed = (await pool
      .invoke('crash', 'Crash', { code: 3 }, NO_GRANTS)
      .catch((e: unknown) => e)) as Error;
    const again = (await pool
      .invoke('crash', 'Crash', { code: 4 }, NO_GRANTS)
      .catch((e: unknown) => e)) as Error;
    const after = await pool.invoke('sleep', 'Sleep', { ms: 1 }, NO_GRANTS);

    // Assess
    expect(crashed.name).toBe('Lambda.Unknown');
    expect((crashed.cause as Error).name).toBe('Runtime.ExitError');
    expect(crashed.message).toMatch(/exit status 3/);
    // A new worker ran the second one.
    const pidOf = (e: Error) => /\(worker (\d+)\)/.exec(e.message)?.[1];
    expect(again.message).toMatch(/exit status 4/);
    expect(pidOf(again)).toBeDefined();
    expect(pidOf(again)).not.toBe(pidOf(crashed));
    expect(after.result).toMatchObject({ concurrent: 1 });
    expect(pool.list().some((w) => w.modules.includes('crash'))).toBe(false);
  });

  it('reports the peak memory of each invocation, not of its worker so far', async () => {
    // Act
    const large = await pool.invoke('allocate', 'Allocate', { megabytes: 200 }, NO_GRANTS);
    const small = await pool.invoke('allocate', 'Allocate', { megabytes: 5 }, NO_GRANTS);

    // Assess
    expect(small.pid).toBe(large.pid);
    expect(large.peakRss).toBeGreaterThan(200 * MB);
    expect(large.peakRss - small.peakRss).toBeGreaterThan(150 * MB);
  });

  it("runs the handler with the grants the engine gives, refusing the rest as the role's would", async () => {
    // Prepare
    const key = 'rosters/2026-11/shiqi/batch-01.csv';

    // Act
    const refused = await pool.invoke('guarded', 'Guarded', { key }, NO_GRANTS);
    const allowed = await pool.invoke(
      'guarded',
      'Guarded',
      { key },
      { getObject: [key], putObject: [], listPrefixes: [key] },
    );

    // Assess
    expect(refused.result).toBe('AccessDenied');
    // Allowed by the guard, it reaches the endpoint (where nothing listens).
    expect(allowed.result).not.toBe('AccessDenied');
  });

  it('does not reuse a worker started before the environment changed', async () => {
    // Prepare
    const before = await pool.invoke('sleep', 'Sleep', { ms: 1 }, NO_GRANTS);

    // Act
    process.env.PAYGUARD_WORKER_TEST = 'changed';
    const after = await pool.invoke('sleep', 'Sleep', { ms: 1 }, NO_GRANTS).finally(() => {
      delete process.env.PAYGUARD_WORKER_TEST;
    });

    // Assess
    expect(after.pid).not.toBe(before.pid);
  });

  it('retires a worker after an invocation that peaked above the bound, so the next one starts fresh', async () => {
    // Prepare
    const own = new LambdaWorkerPool({
      size: 1,
      retireAboveBytes: 150 * MB,
      functionsFolder: join(import.meta.dirname, 'worker-handlers'),
    });

    // Act
    const small = await own.invoke('allocate', 'Allocate', { megabytes: 5 }, NO_GRANTS);
    const kept = await own.invoke('allocate', 'Allocate', { megabytes: 5 }, NO_GRANTS);
    const large = await own.invoke('allocate', 'Allocate', { megabytes: 200 }, NO_GRANTS);
    const after = await own.invoke('allocate', 'Allocate', { megabytes: 5 }, NO_GRANTS);
    await own.close();

    // Assess
    expect(kept.pid).toBe(small.pid);
    expect(large.pid).toBe(small.pid);
    expect(after.pid).not.toBe(large.pid);
    expect(large.startRss).toBeGreaterThan(0);
    expect(large.startRss).toBeLessThan(large.peakRss);
  }, 60_000);

  it('reports the CPU time its worker spent on an invocation, not the time it waited', async () => {
    // Act
    const busy = await pool.invoke('spin', 'Spin', { ms: 300, sleepMs: 0 }, NO_GRANTS);
    const idle = await pool.invoke('spin', 'Spin', { ms: 0, sleepMs: 300 }, NO_GRANTS);

    // Assess: a busy loop of 300 ms is ≥ ~300 ms of CPU; sleeping 300 ms is far less.
    expect(busy.cpuUs).toBeGreaterThanOrEqual(250_000);
    expect(idle.cpuUs).toBeGreaterThanOrEqual(0);
    expect(idle.cpuUs).toBeLessThan(150_000);
  });

  it("runs a handler with the functions' allocator settings, which keep freed Buffers' memory for the next", async () => {
    // Act: 96 MB of Buffers filled and let go, five times over.
    const run = await pool.invoke(
      'page-faults',
      'PageFaults',
      { rounds: 5, buffers: 12, megabytes: 8 },
      NO_GRANTS,
    );

    // Assess: glibc's defaults give most of the memory back at each collection and fault its pages
    // in again (a quarter to a third of the 98,304 pages written after the first round, measured);
    // kept, the later rounds fault about one Buffer's pages (~2,050).
    const { faults, pages } = run.result as { faults: number; pages: number };
    expect(pages).toBe(98_304);
    expect(faults).toBeLessThan(pages / 10);
  });

  it("fails an invocation past the state's timeout as States.Timeout, counted from when a worker took it", async () => {
    // Prepare
    const own = new LambdaWorkerPool({
      size: 1,
      functionsFolder: join(import.meta.dirname, 'worker-handlers'),
    });

    await own.invoke('sleep', 'Sleep', { ms: 1 }, NO_GRANTS);

    // Act
    const [first, queued] = await Promise.allSettled([
      own.invoke('sleep', 'Sleep', { ms: 1500 }, NO_GRANTS, 5),
      // Waits ~1.5 s for the only (warm) worker, longer than its own 1 s, then runs well within it.
      own.invoke('sleep', 'Sleep', { ms: 10 }, NO_GRANTS, 1),
    ]);
    const slow = await own.invoke('sleep', 'Sleep', { ms: 3000 }, NO_GRANTS, 1).catch((e: unknown) => e);
    await own.close();

    // Assess
    expect(first.status).toBe('fulfilled');
    expect(queued.status).toBe('fulfilled');
    expect(slow).toMatchObject({ name: 'States.Timeout' });
  }, 60_000);

  it('starts its workers on warm, idle and up to its size, and the first invocations take them', async () => {
    // Prepare
    const own = new LambdaWorkerPool({
      size: 2,
      functionsFolder: join(import.meta.dirname, 'worker-handlers'),
    });

    // Act
    own.warm();
    own.warm();
    const warmed = own.list();
    const [a, b] = await Promise.all([
      own.invoke('sleep', 'Sleep', { ms: 200 }, NO_GRANTS),
      own.invoke('sleep', 'Sleep', { ms: 200 }, NO_GRANTS),
    ]);
    const after = own.list();
    await own.close();

    // Assess
    expect(warmed).toHaveLength(2);
    expect(warmed.every((w) => !w.busy && w.modules.length === 0)).toBe(true);
    expect(new Set([a.pid, b.pid])).toEqual(new Set(warmed.map((w) => w.pid)));
    expect(after.map((w) => w.pid).sort()).toEqual(warmed.map((w) => w.pid).sort());
  });

  it('stops every worker on close and refuses invocations after', async () => {
    // Prepare
    const own = new LambdaWorkerPool({
      size: 1,
      functionsFolder: join(import.meta.dirname, 'worker-handlers'),
    });
    const { pid } = await own.invoke('sleep', 'Sleep', { ms: 1 }, NO_GRANTS);

    // Act
    await own.close();

    // Assess
    expect(() => process.kill(pid, 0)).toThrow();
    await expect(own.invoke('sleep', 'Sleep', { ms: 1 }, NO_GRANTS)).rejects.toThrow(/closed/);
  });
});
