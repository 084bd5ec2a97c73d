import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INGEST_WORKFLOW } from '#pipelines/workflows.ts';

interface TaskState {
  readonly Type: string;
  readonly Catch?: readonly { ErrorEquals: string[]; Next: string; ResultPath?: string }[];
}

const states = (
  JSON.parse(readFileSync(INGEST_WORKFLOW.aslPath, 'utf8')) as { States: Record<string, TaskState> }
).States;

describe('ingest workflow definition', () => {
  it.each(['ValidateRoster', 'RecordOutcome'])(
    '%s: any error, a timeout or a function out of memory included, goes to RecordFailure',
    (name) => {
      // Act
      const catchers = states[name]?.Catch ?? [];
      const last = catchers.at(-1);

      // Assess: States.ALL must be the last catcher (Step Functions requires it) and keep the input.
      expect(last).toEqual({ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' });
      for (const catcher of catchers) expect(catcher.Next).toBe('RecordFailure');
    },
  );

  it('ends a recorded failure in the IngestFailed Fail state, so the execution is not a success', () => {
    // Assess
    expect(states.RecordFailure).toEqual(expect.objectContaining({ Next: 'IngestFailed' }));
    expect(states.IngestFailed).toEqual(expect.objectContaining({ Type: 'Fail', Error: 'IngestFailed' }));
  });
});
