import { describe, expect, it } from 'vitest';
import { largestProcess, type ProcessUsage, processName } from '../../../bench/payguard-run.ts';

const usage = (pid: number, maxRssKb: number, script: string): ProcessUsage => ({
  pid,
  argv: [script],
  maxRssKb,
  cpuUs: 0,
});

describe('largestProcess', () => {
  it("counts a worker's invocation peaks, which its own exit line no longer holds once reset", () => {
    // Prepare: the worker's exit line says 780 MiB (the peak since its last reset); an earlier
    // invocation of it peaked at 1,011 MiB; the CLI's line says 650 MiB.
    const lines = [usage(1, 650 * 1024, 'local/cli/main.ts'), usage(2, 780 * 1024, 'lambda-worker-main.ts')];
    const timings = [
      { pid: 2, peakRss: 1011 * 1024 * 1024 },
      { pid: 2, peakRss: 700 * 1024 * 1024 },
      { pid: 1 },
    ];

    // Act
    const { peakKb, peak } = largestProcess(lines, timings);

    // Assess
    expect(peakKb).toBe(1011 * 1024);
    expect(peak?.pid).toBe(2);
  });

  it('keeps the exit line where it is larger than any invocation (the CLI, or a worker between invocations)', () => {
    // Prepare
    const lines = [usage(1, 1315 * 1024, 'local/cli/main.ts'), usage(2, 780 * 1024, 'lambda-worker-main.ts')];

    // Act
    const { peakKb, peak } = largestProcess(lines, [{ pid: 2, peakRss: 900 * 1024 * 1024 }]);

    // Assess
    expect(peakKb).toBe(1315 * 1024);
    expect(peak?.pid).toBe(1);
  });

  it('names a Lambda worker whether it runs the sources (tsx) or the bundle', () => {
    // Act
    const names = [
      '/repo/local/engine/lambda-worker-main.ts',
      '/repo/node_modules/.cache/payguard/lambda-bundle/d85fc7b6/lambda-worker-main.mjs',
      '/repo/local/stand-ins/stand-ins-main.ts',
      '/repo/not-lambda-worker-main.mjs',
    ].map((script) => processName({ argv: [script] }));

    // Assess
    expect(names).toEqual([
      'a Lambda worker',
      'a Lambda worker',
      'stand-ins-main.ts',
      'not-lambda-worker-main.mjs',
    ]);
  });
});
