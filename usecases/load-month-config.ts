import { type PipelineConfig, parsePipelineConfig } from '#domain/month-check/pipeline-config.ts';
import { pipelineConfig, townsFile } from '#schemas/bucket-layout.ts';
import { loadTowns } from './load-towns.ts';
import type { ObjectStore } from './ports.ts';

/** The month's configuration with its expected batches resolved. */
export interface MonthConfig {
  readonly config: PipelineConfig;
  /** `expectedBatches` of config/pipeline.json, else one batch per town code of reference/towns.csv. */
  readonly expectedBatches: readonly string[];
  /** The key of the file that named them. */
  readonly expectedBatchesFrom: string;
}

/** Reads `config/pipeline.json` (defaults when absent) and resolves the expected batches. */
export async function loadMonthConfig(store: ObjectStore): Promise<MonthConfig> {
  const configKey = pipelineConfig.key();
  const bytes = await store.readBytes(configKey);
  const config = parsePipelineConfig(bytes ? Buffer.from(bytes).toString('utf8') : undefined);
  if (config.expectedBatches) {
    return { config, expectedBatches: config.expectedBatches, expectedBatchesFrom: configKey };
  }
  const towns = await loadTowns(store);
  return { config, expectedBatches: towns.towns.map((t) => t.code), expectedBatchesFrom: townsFile.key() };
}
