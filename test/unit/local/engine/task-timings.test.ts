import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TaskTiming, timedTask } from '#local/engine/task-timings.ts';

const TASK = { workflow: 'month-run', state: 'CheckPartition', functionModule: 'check-partition' };
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'payguard-timings-'));
});

afterEach(async () => {
  delete process.env.PAYGUARD_TIMINGS;
  await rm(dir, { recursive: true, force: true });
});

const lines = async (path: string): Promise<TaskTiming[]> =>
  (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as TaskTiming);

describe('timedTask', () => {
  it('passes the result through and writes nothing without PAYGUARD_TIMINGS', async () => {
    // Prepare
    const invoke = async (payload: unknown) => ({ result: { echoed: payload }, peakRss: 1 });

    // Act
    const result = await timedTask(TASK, invoke)(3);

    // Assess
    expect(result).toEqual({ echoed: 3 });
    expect(await readdir(dir)).toEqual([]);
  });

  it('appends one line per invocation with its task, times and memory', async () => {
    // Prepare
    const file = join(dir, 'timings.ndjson');
    process.env.PAYGUARD_TIMINGS = file;
    const timed = timedTask(TASK, async (payload) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { result: { echoed: payload }, peakRss: 200 * 2 ** 20 + Number(payload), cpuUs: 7, pid: 42 };
    });

    // Act
    const results = [await timed(1), await timed(2)];

    // Assess
    expect(results).toEqual([{ echoed: 1 }, { echoed: 2 }]);
    const timings = await lines(file);
    expect(timings).toHaveLength(2);
    for (const t of timings) {
      expect(t).toMatchObject({
        workflow: 'month-run',
        state: 'CheckPartition',
        function: 'check-partition',
        ok: true,
      });
      expect(t.end - t.start).toBeGreaterThanOrEqual(15);
      expect(t.rssBefore).toBeGreaterThan(0);
      expect(t.maxRssAfter).toBeGreaterThanOrEqual(t.maxRssBefore);
      expect(t.pid).toBe(42);
      expect(t.cpuUs).toBe(7);
    }
    // The invocation's own peak, as its worker reported it.
    expect(timings.map((t) => t.peakRss)).toEqual([200 * 2 ** 20 + 1, 200 * 2 ** 20 + 2]);
    expect((timings[1] as TaskTiming).start).toBeGreaterThanOrEqual((timings[0] as TaskTiming).end);
  });

  it('records a failed invocation and lets its error through', async () => {
    // Prepare
    const file = join(dir, 'timings.ndjson');
    process.env.PAYGUARD_TIMINGS = file;
    const error = Object.assign(new Error('the registry lacks a column'), { name: 'ReferenceDataError' });
    const timed = timedTask(TASK, async () => {
      throw error;
    });

    // Act
    const outcome = timed({});

    // Assess
    await expect(outcome).rejects.toBe(error);
    expect((await lines(file)).map((t) => t.ok)).toEqual([false]);
  });
});
