import {
  PIPELINE_CONFIG_FILE,
  type PipelineConfig,
  parsePipelineConfig,
} from '#domain/month-check/pipeline-config.ts';
import { loadTowns, TOWNS_KEY } from './load-towns.ts';
import type { ObjectStore } from './ports.ts';

/** The month's configuration with its expected batches resolved. */
export interface MonthConfig {
  readonly config: PipelineConfig;
  /** `expectedBatches` of config/pipeline.json, else one batch per town code of reference/towns.csv. */
  readonly expectedBatches: readonly string[];
  readonly expectedBatchesFrom: typeof PIPELINE_CONFIG_FILE | typeof TOWNS_KEY;
}

/** Reads `config/pipeline.json` (defaults when absent) and resolves the expected batches. */
export async function loadMonthConfig(store: ObjectStore): Promise<MonthConfig> {
  const bytes = await store.readBytes(PIPELINE_CONFIG_FILE);
  const config = parsePipelineConfig(bytes ? Buffer.from(bytes).toString('utf8') : undefined);
  if (config.expectedBatches) {
    return { config, expectedBatches: config.expectedBatches, expectedBatchesFrom: PIPELINE_CONFIG_FILE };
  }
  const towns = await loadTowns(store);
  return { config, expectedBatches: towns.towns.map((t) => t.code), expectedBatchesFrom: TOWNS_KEY };
}
