import type { LocalWorkflows } from '#local/engine/local-workflows.ts';
import { WORKFLOW_NAMES } from '#local/engine/local-workflows.ts';
import {
  anomaliesCsv,
  anomaliesJson,
  casesCsv,
  type KeyFamily,
  monthMetrics,
  monthPage,
  sampleCsv,
  sampleJson,
} from '#schemas/bucket-layout.ts';

/** The keys of a month's outputs by the name they get in OUT: the key's file name. */
export function monthOutputs(
  month: string,
  families: readonly KeyFamily<{ readonly month: string }>[],
): Record<string, string> {
  return Object.fromEntries(
    families.map((family) => {
      const key = family.key({ month });
      return [key.slice(key.lastIndexOf('/') + 1), key];
    }),
  );
}

/** Outputs of the month watch copied to OUT (contract 4), by their key in the bucket. */
export const WATCH_OUTPUTS = (month: string): Record<string, string> => ({
  ...monthOutputs(month, [anomaliesCsv, anomaliesJson, sampleCsv, sampleJson, casesCsv, monthPage]),
  [`metrics-${month}.csv`]: monthMetrics.key({ month }),
});

export interface WatchResult {
  readonly ok: boolean;
  /** Why it did not finish, when it did not. */
  readonly reason?: string;
  readonly output?: unknown;
}

/**
 * Runs the month-watch workflow for a month on the local engine, as the monthly schedule does in
 * AWS (with the month named, and an optional sample seed).
 */
export async function watchMonth(
  workflows: LocalWorkflows,
  input: { month: string; bucket: string; seed?: string | undefined },
): Promise<WatchResult> {
  const execution = workflows.start(WORKFLOW_NAMES.monthWatch, {
    month: input.month,
    bucket: input.bucket,
    ...(input.seed ? { seed: input.seed } : {}),
  });
  try {
    return { ok: true, output: await execution.result };
  } catch (error) {
    const failed = execution.events.find((e) => e.type === 'StateFailed' || e.type === 'StateCaught') as
      | { Error?: string; Cause?: string }
      | undefined;
    const caught = execution.events
      .map((e) => (e as { state?: { output?: { error?: { Cause?: string } } } }).state?.output?.error?.Cause)
      .find((cause) => cause !== undefined);
    return { ok: false, reason: caught ?? failed?.Cause ?? (error as Error).message };
  }
}
