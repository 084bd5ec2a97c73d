import { describe, expect, it } from 'vitest';
import type { TaskTiming } from '#local/engine/task-timings.ts';
import { functionMemory, STEPS, stepTable } from '../../../bench/step-table.ts';

const MB = 2 ** 20;

function task(workflow: string, state: string, start: number, end: number, rss = [100, 100]): TaskTiming {
  const [before = 100, after = 100] = rss;
  return {
    workflow,
    state,
    function: state,
    start,
    end,
    ok: true,
    rssBefore: before * MB,
    rssAfter: after * MB,
    maxRssBefore: before * MB,
    maxRssAfter: Math.max(before, after) * MB,
  };
}

describe('stepTable', () => {
  it('splits the wall time between the steps, overlapping tasks evenly, gaps by where they fall', () => {
    // Prepare: spawned at 0 ms, exited at 20,000 ms.
    const timings = [
      task('dataset-ingest', 'StageDataset', 1_000, 5_000),
      task('ingest', 'ValidateRoster', 3_000, 7_000),
      task('month-run', 'PrepareMonthRun', 8_000, 10_000),
      task('month-run', 'RequestApproval', 10_000, 11_000),
      task('month-run', 'ReleaseMonth', 12_000, 13_000),
      task('month-run', 'CloseOut', 13_000, 15_000),
      task('month-watch', 'ComputeMetrics', 15_500, 17_000),
    ];

    // Act
    const table = stepTable(timings, 0, 20_000);

    // Assess
    const seconds = Object.fromEntries(STEPS.map((s) => [s, table[s].seconds]));
    expect(seconds).toEqual({
      'start-up': 1,
      'loading the bucket': 1,
      'roster ingest': 3,
      'dataset staging': 3,
      'checks up to the approval request': 3,
      approval: 1,
      release: 1,
      'close-out': 2,
      'month watch': 1.5,
      'outputs, shut-down': 3,
      'between tasks': 0.5,
      'other tasks': 0,
    });
    expect(Object.values(seconds).reduce((s, n) => s + n, 0)).toBe(20);
    expect(table['checks up to the approval request'].invocations).toBe(2);
  });

  it('puts the whole run in start-up when no task ran', () => {
    // Act
    const table = stepTable([], 0, 4_000);

    // Assess
    expect(table['start-up'].seconds).toBe(4);
  });
});

describe('functionMemory', () => {
  it('reports each function by its invocation that grew the process most', () => {
    // Prepare
    const timings = [
      task('dataset-ingest', 'StageDataset', 0, 1_000, [100, 300]),
      task('dataset-ingest', 'StageDataset', 1_000, 4_000, [300, 250]),
      task('month-run', 'CheckPartition', 4_000, 5_000, [250, 260]),
    ];

    // Act
    const table = functionMemory(timings);

    // Assess
    expect(table).toEqual([
      {
        workflow: 'dataset-ingest',
        state: 'StageDataset',
        invocations: 2,
        seconds: 4,
        longestSeconds: 3,
        largestRssGrowth: 200 * MB,
        rssAfterLargest: 300 * MB,
        peakRaisedByLargest: 200 * MB,
      },
      {
        workflow: 'month-run',
        state: 'CheckPartition',
        invocations: 1,
        seconds: 1,
        longestSeconds: 1,
        largestRssGrowth: 10 * MB,
        rssAfterLargest: 260 * MB,
        peakRaisedByLargest: 10 * MB,
      },
    ]);
  });

  it("reports, when the handlers ran in workers, each function's invocation with the largest own peak", () => {
    // Prepare: the second of three CheckPartition invocations peaked highest in its worker.
    const inWorker = (start: number, end: number, peak: number): TaskTiming => ({
      ...task('month-run', 'CheckPartition', start, end),
      peakRss: peak * MB,
      pid: 7,
    });
    const timings = [inWorker(0, 1_000, 400), inWorker(500, 3_000, 900), inWorker(1_000, 2_000, 600)];

    // Act
    const [checks] = functionMemory(timings);

    // Assess
    expect(checks?.largestInvocation).toEqual({ peakRss: 900 * MB, index: 2, seconds: 2.5 });
  });

  it("adds up the CPU time its workers spent on a function's invocations", () => {
    // Prepare
    const inWorker = (start: number, end: number, cpuUs: number): TaskTiming => ({
      ...task('month-run', 'CheckPartition', start, end),
      peakRss: 400 * MB,
      cpuUs,
      pid: 7,
    });

    // Act
    const [checks] = functionMemory([inWorker(0, 1_000, 700_000), inWorker(0, 2_000, 1_500_000)]);
    const [inProcess] = functionMemory([task('month-run', 'CheckPartition', 0, 1_000)]);

    // Assess: 3 s of wall time, 2.2 s of CPU; none known in the engine's process.
    expect(checks?.seconds).toBe(3);
    expect(checks?.cpuSeconds).toBeCloseTo(2.2, 6);
    expect(inProcess).not.toHaveProperty('cpuSeconds');
  });
});
