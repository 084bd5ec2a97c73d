import { describe, expect, it } from 'vitest';
import type { ApprovalServices } from '#local/cli/approval-services.ts';
import { followMonth } from '#local/cli/follow-month.ts';
import type { LocalWorkflows } from '#local/engine/local-workflows.ts';
import type { LocalExecution } from '#local/engine/workflow-engine.ts';

/** A month-run execution whose end the test decides. */
function execution(name: string) {
  let end: (output: unknown) => void = () => undefined;
  const result = new Promise<unknown>((resolve) => {
    end = resolve;
  });
  const run: LocalExecution = {
    workflow: 'month-run',
    executionArn: `arn:aws:states:local:000000000000:execution:payguard-month-run:${name}`,
    input: { month: '2026-10' },
    result,
    events: [],
    abort: () => undefined,
  };
  return { run, end };
}

/** The engine as `followMonth` sees it: its executions, none waiting at a callback step. */
const engine = (executions: LocalExecution[]) =>
  ({
    executions,
    waitingAt: () => undefined,
    onCallbackWait: () => () => undefined,
  }) as unknown as LocalWorkflows;
const services = {} as ApprovalServices;

describe('followMonth', () => {
  it('goes on with the run still running when the one it follows ends superseded, whatever their start order', async () => {
    // Prepare: the later-started run's request was superseded by the earlier run's
    const earlier = execution('earlier');
    const later = execution('later');
    const said: string[] = [];

    // Act
    const followed = followMonth(engine([earlier.run, later.run]), services, later.run, {
      approve: 'auto',
      say: (line) => said.push(line),
    });
    later.end({ superseded: true });
    await new Promise((resolve) => setTimeout(resolve, 10));
    earlier.end({ closeout: 'CLOSED' });

    // Assess
    const { execution: last, end } = await followed;
    expect(last).toBe(earlier.run);
    expect(end).toEqual({ state: 'FINISHED', output: { closeout: 'CLOSED' } });
    expect(said).toEqual(['  another run of the month took over']);
  });

  it('follows a run started after it that has already ended, and never goes back to one it followed', async () => {
    // Prepare
    const first = execution('first');
    const second = execution('second');
    second.end({ closeout: 'OPEN' });

    // Act
    const followed = followMonth(engine([first.run, second.run]), services, first.run, {
      approve: 'auto',
      say: () => undefined,
    });
    first.end({ superseded: true });

    // Assess
    expect(await followed).toEqual({
      execution: second.run,
      end: { state: 'FINISHED', output: { closeout: 'OPEN' } },
    });
  });

  it('ends with the run it follows when no other run of the month is left', async () => {
    // Prepare
    const only = execution('only');
    const otherMonth = execution('other');
    (otherMonth.run as { input: unknown }).input = { month: '2026-11' };

    // Act
    const followed = followMonth(engine([only.run, otherMonth.run]), services, only.run, {
      approve: 'auto',
      say: () => undefined,
    });
    only.end({ closeout: 'CLOSED' });

    // Assess
    expect((await followed).execution).toBe(only.run);
  });
});
