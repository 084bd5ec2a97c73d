import { describe, expect, it } from 'vitest';
import { stateDefinitionsOf, taskStatesOf, WORKFLOWS } from '#pipelines/workflows.ts';

/** Lambda's own transient errors: the invocation failed before or around the function. */
const TRANSIENT = [
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

interface Retrier {
  readonly ErrorEquals: string[];
  readonly MaxAttempts?: number;
}

const LAMBDA_TASKS = WORKFLOWS.flatMap((workflow) => {
  const states = stateDefinitionsOf(workflow);
  return taskStatesOf(workflow)
    .filter((t) => t.resource.startsWith('arn:aws:states:::lambda:invoke'))
    .map((t) => [`${workflow.name}:${t.state}`, (states.get(t.state)?.Retry ?? []) as Retrier[]] as const);
});

describe('the Task states of the workflows', () => {
  it('are read from the ASL files, Map item processors included', () => {
    const names = WORKFLOWS.flatMap((w) => taskStatesOf(w).map((t) => t.state));
    expect(names).toContain('CheckPartition');
    expect(names).toContain('StartMonthRun');
    expect(new Set(names)).toEqual(
      new Set(WORKFLOWS.flatMap((w) => [...w.tasks, ...(w.starts ?? [])].map((t) => t.state))),
    );
  });

  it.each(LAMBDA_TASKS)('%s retries every transient Lambda error', (_, retry) => {
    const transient = retry.find((r) => r.ErrorEquals.includes('Lambda.ServiceException'));
    expect(transient?.ErrorEquals).toEqual(expect.arrayContaining(TRANSIENT));
  });

  it.each(LAMBDA_TASKS)(
    '%s runs once more after the function failed unhandled (Lambda.Unknown)',
    (_, retry) => {
      expect(retry).toContainEqual(
        expect.objectContaining({ ErrorEquals: ['Lambda.Unknown'], MaxAttempts: 1 }),
      );
    },
  );
});
