import { type PipelineConfig, parsePipelineConfig } from '#domain/month-check/pipeline-config.ts';
import { pipelineConfig } from '#schemas/bucket-layout.ts';
import { previousMonth } from '#schemas/month.ts';
import type { ObjectStore, RunStateStore } from './ports.ts';

/** The month's configuration with its expected batches resolved. */
export interface MonthConfig {
  readonly config: PipelineConfig;
  /**
   * `expectedBatches` of config/pipeline.json, else the batches that uploaded a roster the month
   * before (in name order; none in a first month).
   */
  readonly expectedBatches: readonly string[];
  /**
   * Where they come from, as a person reads it: the key of config/pipeline.json, the month whose
   * uploads they are, or that no expected batches are configured.
   */
  readonly expectedBatchesFrom: string;
}

/** Reads `config/pipeline.json` (defaults when absent). */
export async function loadPipelineConfig(store: ObjectStore): Promise<PipelineConfig> {
  const bytes = await store.readBytes(pipelineConfig.key());
  return parsePipelineConfig(bytes ? Buffer.from(bytes).toString('utf8') : undefined);
}

/**
 * Reads `config/pipeline.json` and resolves the batches expected in `month`: those it names, else
 * what a bureau expects — the batches (department folders) that uploaded in the month before,
 * whatever became of their files. Never a list of every town code: batch folders are named as the
 * departments please (`shiqi`), not after `reference/towns.csv`, and a list nobody can fill would
 * keep the month from ever starting by itself. In a first month nothing is expected, and
 * `expectedBatchesFrom` says that none are configured.
 */
export async function loadMonthConfig(
  month: string,
  deps: { store: ObjectStore; state: Pick<RunStateStore, 'listBatches'> },
): Promise<MonthConfig> {
  const config = await loadPipelineConfig(deps.store);
  if (config.expectedBatches) {
    return { config, expectedBatches: config.expectedBatches, expectedBatchesFrom: pipelineConfig.key() };
  }
  const before = previousMonth(month);
  const uploaded = [...new Set((await deps.state.listBatches(before)).map((b) => b.batch))].sort();
  return {
    config,
    expectedBatches: uploaded,
    expectedBatchesFrom:
      uploaded.length > 0
        ? `uploads of ${before} (no expectedBatches in ${pipelineConfig.key()})`
        : `none configured: no expectedBatches in ${pipelineConfig.key()} and no uploads in ${before}`,
  };
}
