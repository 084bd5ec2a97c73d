import { checkMonth } from '#domain/month-check/check-month.ts';
import { partitionFindings } from '#schemas/bucket-layout.ts';
import type { Finding } from '#schemas/finding.ts';
import type { PartitionResult } from '#schemas/month-run.ts';
import { loadDatasetRecords } from './load-dataset.ts';
import { loadStagedPayees } from './load-staged-payees.ts';
import type { MonthRunManifest } from './month-run-manifest.ts';
import { partitionBatches, partitionDatasets } from './partition-inputs.ts';
import type { ObjectStore } from './ports.ts';
import { readJson } from './read-json.ts';

/**
 * Checks the people of one partition (those whose ID hashes to it) against the registry and the
 * partner data (contract 3.3) and writes the partition's findings. Reads the partition's share of
 * the rosters and datasets that `prepareMonthRun` split off (see `splitMonthInputs`).
 */
export async function checkPartition(
  input: { manifestKey: string; partition: number },
  deps: { store: ObjectStore },
): Promise<PartitionResult> {
  const manifest = await readJson<MonthRunManifest>(deps.store, input.manifestKey);
  const payees = await loadStagedPayees(partitionBatches(manifest, input.partition), deps.store);
  const datasets = await loadDatasetRecords(partitionDatasets(manifest, input.partition), deps.store);
  const shared = await readJson<Record<string, string[]>>(deps.store, manifest.sharedAccountsKey);
  const findings: Finding[] = checkMonth({
    config: {
      month: manifest.month,
      employedContributionBaseFen: manifest.config.employedContributionBaseFen,
      pensionIncomeFen: manifest.config.pensionIncomeFen,
    },
    payees,
    datasets,
    sharedAccounts: new Map(Object.entries(shared)),
  });
  const findingsKey = partitionFindings.key({
    month: manifest.month,
    runId: manifest.runId,
    partition: input.partition,
  });
  await deps.store.put(findingsKey, JSON.stringify(findings), 'application/json');
  return { partition: input.partition, findingsKey, payees: payees.length, findings: findings.length };
}
