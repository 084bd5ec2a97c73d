import { describe, expect, it } from 'vitest';
import { InProcessSlots } from '#local/engine/in-process-slots.ts';

/** A promise and the functions that settle it. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('InProcessSlots', () => {
  it('runs at most `size` invocations at once, the next in arrival order as one settles', async () => {
    const slots = new InProcessSlots(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((gate, i) =>
      slots.run('Stage', async () => {
        started.push(i);
        await gate.promise;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(slots.running).toBe(2);
    gates[1]?.resolve();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[0]?.resolve();
    gates[2]?.resolve();
    gates[3]?.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(slots.running).toBe(0);
  });

  it('passes a failure through and frees the slot', async () => {
    const slots = new InProcessSlots(1);
    await expect(
      slots.run('Stage', async () => {
        throw new Error('bad file');
      }),
    ).rejects.toThrow('bad file');
    expect(await slots.run('Stage', async () => 'next')).toBe('next');
  });

  it('times an invocation from when it got its slot, not from when it waited, and fails it as States.Timeout', async () => {
    const slots = new InProcessSlots(1);
    const first = deferred();
    const busy = slots.run('First', () => first.promise);
    const waited = slots.run('Second', async () => 'done', 0.05);
    // The second waits longer than its timeout for the slot, and still completes once it runs.
    await new Promise((resolve) => setTimeout(resolve, 120));
    first.resolve();
    await busy;
    expect(await waited).toBe('done');

    const slow = slots.run('Slow', () => new Promise((resolve) => setTimeout(resolve, 200)), 0.05);
    await expect(slow).rejects.toMatchObject({ name: 'States.Timeout' });
  });

  it('keeps the slot of work that timed out until that work settles, so the thread is never shared by more', async () => {
    const slots = new InProcessSlots(1);
    const stuck = deferred();
    const timedOut = slots.run('Stuck', () => stuck.promise, 0.02);
    await expect(timedOut).rejects.toMatchObject({ name: 'States.Timeout' });
    let nextStarted = false;
    const next = slots.run('Next', async () => {
      nextStarted = true;
    });
    await tick();
    expect(nextStarted).toBe(false);
    expect(slots.running).toBe(1);
    stuck.reject(new Error('late failure of abandoned work'));
    await next;
    expect(nextStarted).toBe(true);
  });

  it('refuses a size that is not a whole number of at least 1', () => {
    expect(() => new InProcessSlots(0)).toThrow(RangeError);
    expect(() => new InProcessSlots(1.5)).toThrow(RangeError);
  });
});
