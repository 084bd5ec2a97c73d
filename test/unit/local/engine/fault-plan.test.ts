import { describe, expect, it } from 'vitest';
import { everyTaskState, FaultInjector, parseFaultPlan } from '#local/engine/fault-plan.ts';

describe('parseFaultPlan', () => {
  it('reads workflow:state:kind with the first invocation by default', () => {
    expect(parseFaultPlan('month-run:ReleaseMonth:crash')).toEqual({
      workflow: 'month-run',
      state: 'ReleaseMonth',
      kind: 'crash',
      invocation: 1,
    });
    expect(parseFaultPlan('month-run:CheckPartition:transient:3').invocation).toBe(3);
  });

  it.each([
    'month-run:ReleaseMonth',
    'month-run:ReleaseMonth:explode',
    'month-run:ReleaseMonth:crash:0',
    'month-run:NoSuchState:crash',
    'ingest:ReleaseMonth:crash',
  ])('refuses %s', (text) => {
    expect(() => parseFaultPlan(text)).toThrow();
  });

  it('knows every Task state of every workflow', () => {
    expect(everyTaskState()).toContainEqual({ workflow: 'ingest', state: 'StartMonthRun' });
    expect(everyTaskState()).toContainEqual({ workflow: 'month-run', state: 'CheckPartition' });
  });
});

describe('FaultInjector', () => {
  const calls: unknown[] = [];
  const invoke = async (payload: unknown) => {
    calls.push(payload);
    return payload;
  };

  it('fails before the function runs for a transient fault, once', async () => {
    // Prepare
    calls.length = 0;
    const injector = new FaultInjector({ workflow: 'month-run', state: 'ReleaseMonth', kind: 'transient' });
    const wrapped = injector.wrap('month-run', 'ReleaseMonth', 'lambda', invoke);

    // Act
    const first = wrapped(1).catch((e: Error) => e.name);
    const second = await wrapped(2);

    // Assess
    expect(await first).toBe('Lambda.ServiceException');
    expect(second).toBe(2);
    expect(calls).toEqual([2]);
    expect(injector.fired).toBe(true);
  });

  it('runs the function, then fails, for a crash at the invocation planned', async () => {
    // Prepare
    calls.length = 0;
    const injector = new FaultInjector({
      workflow: 'ingest',
      state: 'StartMonthRun',
      kind: 'crash',
      invocation: 2,
    });
    const wrapped = injector.wrap('ingest', 'StartMonthRun', 'states', invoke);

    // Act
    const results = [];
    for (const n of [1, 2, 3]) results.push(await wrapped(n).catch((e: Error) => e.name));

    // Assess
    expect(results).toEqual([1, 'StepFunctions.SdkClientException', 3]);
    expect(calls).toEqual([1, 2, 3]);
  });

  it('leaves the other states alone', async () => {
    const injector = new FaultInjector({ workflow: 'month-run', state: 'ReleaseMonth', kind: 'crash' });
    expect(injector.wrap('month-run', 'CloseOut', 'lambda', invoke)).toBe(invoke);
    expect(injector.wrap('month-watch', 'ReleaseMonth', 'lambda', invoke)).toBe(invoke);
    expect(injector.fired).toBe(false);
  });
});
