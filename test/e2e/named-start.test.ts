import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_NAMES } from '#local/engine/local-workflows.ts';
import { type IngestHarness, startIngestHarness } from '../support/local-harness.ts';

/**
 * StartExecution with a name is idempotent for a standard workflow (AWS Step Functions API
 * reference, StartExecution): the same name and input as a running execution return it; a name
 * taken by a closed execution, or by one with another input, is `ExecutionAlreadyExists`. The
 * ingest's StartMonthRun names the run after the month and its batch table (`monthRunName`), so
 * a start whose response was lost and is retried, or a second ingest that found the same table
 * complete, never starts a second month run.
 */
let h: IngestHarness;

beforeAll(async () => {
  h = await startIngestHarness();
}, 120_000);

afterAll(async () => {
  await h?.stop();
});

const caught = (call: () => unknown): Error | undefined => {
  try {
    call();
    return undefined;
  } catch (error) {
    return error as Error;
  }
};

describe('a named start on the local engine', () => {
  it('returns the running execution for the same name and input, and refuses the name otherwise', async () => {
    // Prepare: an empty bucket, so the month run fails at its first step (no registry)
    const input = { month: '2026-10', bucket: h.stack.bucket, trigger: 'all-expected-batches-accepted' };
    const before = h.workflows.executions.length;

    // Act
    const first = h.workflows.start(WORKFLOW_NAMES.monthRun, input, '2026-10-3f2a9c0d41b7e6a8');
    const again = h.workflows.start(WORKFLOW_NAMES.monthRun, { ...input }, '2026-10-3f2a9c0d41b7e6a8');
    const otherInput = caught(() =>
      h.workflows.start(WORKFLOW_NAMES.monthRun, { ...input, trigger: 'cli' }, '2026-10-3f2a9c0d41b7e6a8'),
    );
    await first.result.catch(() => undefined);
    const afterClose = caught(() =>
      h.workflows.start(WORKFLOW_NAMES.monthRun, input, '2026-10-3f2a9c0d41b7e6a8'),
    );
    const unnamed = h.workflows.start(WORKFLOW_NAMES.monthRun, input);
    await unnamed.result.catch(() => undefined);

    // Assess
    expect(again).toBe(first);
    expect(first.executionArn).toMatch(/:execution:payguard-month-run:2026-10-3f2a9c0d41b7e6a8$/);
    expect(otherInput?.name).toBe('StepFunctions.ExecutionAlreadyExistsException');
    expect(afterClose?.name).toBe('StepFunctions.ExecutionAlreadyExistsException');
    expect(unnamed.executionArn).not.toBe(first.executionArn);
    expect(h.workflows.executions.length - before).toBe(2);
  });
});
