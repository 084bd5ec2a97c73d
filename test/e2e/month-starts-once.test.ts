import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_NAMES } from '#local/engine/local-workflows.ts';
import type { LocalExecution } from '#local/engine/workflow-engine.ts';
import { pipelineConfig } from '#schemas/bucket-layout.ts';
import { type IngestHarness, startIngestHarness } from '../support/local-harness.ts';
import { csv, ENGLISH_HEADER, rosterRow, TOWNS_CSV } from '../support/roster-builder.ts';

/**
 * The last two expected towns accepted at the same moment: each ingest finds the month complete.
 * The month is checked once, not twice (two runs would each send the approvers a request, the
 * second voiding the first, and a person following one of them could follow the wrong one).
 */
const MONTH = '2026-11';
let h: IngestHarness;

beforeAll(async () => {
  h = await startIngestHarness();
  await h.put('reference/towns.csv', TOWNS_CSV);
  await h.put(pipelineConfig.key(), JSON.stringify({ expectedBatches: ['shiqi', 'dongqu'] }));
}, 120_000);

afterAll(async () => {
  await h?.stop();
});

const entered = (e: LocalExecution) =>
  e.events
    .filter((ev) => ev.type === 'StateEntered')
    .map((ev) => (ev as unknown as { state: { name: string } }).state.name);

describe('the month run that ingest starts', () => {
  it('starts once when the last two expected towns find the month complete together', async () => {
    // Prepare: each CheckMonthComplete waits until both towns' outcomes are recorded
    let arrived = 0;
    let bothArrived: () => void = () => undefined;
    const barrier = new Promise<void>((resolve) => {
      bothArrived = resolve;
    });
    h.interceptors.CheckMonthComplete = async (invoke, payload) => {
      arrived += 1;
      if (arrived === 2) bothArrived();
      await barrier;
      return invoke(payload);
    };
    const roster = (town: string, sequence: number) =>
      csv(ENGLISH_HEADER, [rosterRow({ town }, sequence, MONTH)]);

    // Act
    await Promise.all([
      h.put(`incoming/${MONTH}/shiqi/roster.csv`, roster('shiqi', 41)),
      h.put(`incoming/${MONTH}/dongqu/roster.csv`, roster('dongqu', 42)),
    ]);
    await h.bridge.drain();
    h.interceptors.CheckMonthComplete = undefined;

    // Assess
    const ingests = h.workflows.executions.filter((e) => e.workflow === WORKFLOW_NAMES.ingest);
    const runs = h.workflows.executions.filter(
      (e) => e.workflow === WORKFLOW_NAMES.monthRun && (e.input as { month: string }).month === MONTH,
    );
    expect(arrived).toBe(2);
    expect(ingests).toHaveLength(2);
    for (const ingest of ingests) {
      await expect(ingest.result).resolves.toBeDefined();
      expect(entered(ingest)).toContain('StartMonthRun');
    }
    expect(runs).toHaveLength(1);
    expect(runs[0]?.executionArn).toMatch(new RegExp(`:execution:payguard-month-run:${MONTH}-[0-9a-f]{24}$`));
  });
});
