import { checkMonthFindings } from '#domain/month-check/check-month.ts';
import { compareFindings } from '#domain/month-check/compare-findings.ts';
import { FINDING_LINES_CONTENT_TYPE, findingLines } from '#formats/findings-lines.ts';
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
 * The findings in `compareFindings` order: the row findings pass straight through (the check
 * yields them sorted, payees being read in batch and row order); the `MISSING_PAYMENT` findings,
 * at most one per registry entry, are sorted at the end.
 */
function* inFindingsOrder(findings: Iterable<Finding>): Generator<Finding> {
  const missing: Finding[] = [];
  for (const finding of findings) {
    if (finding.batch === '') missing.push(finding);
    else yield finding;
  }
  yield* missing.sort(compareFindings);
}

/**
 * Checks the people of one partition (those whose ID hashes to it) against the registry and the
 * partner data (contract 3.3) and writes the partition's findings, as a stream in `findings.csv`
 * order: a partition whose rows raise millions of findings never holds them. Reads the
 * partition's share of the rosters and datasets that `prepareMonthRun` split off (see
 * `splitMonthInputs`).
 */
export async function checkPartition(
  input: { manifestKey: string; partition: number },
  deps: { store: ObjectStore },
): Promise<PartitionResult> {
  const manifest = await readJson<MonthRunManifest>(deps.store, input.manifestKey);
  const payees = await loadStagedPayees(partitionBatches(manifest, input.partition), deps.store);
  const datasets = await loadDatasetRecords(partitionDatasets(manifest, input.partition), deps.store);
  const shared = await readJson<Record<string, string[]>>(deps.store, manifest.sharedAccountsKey);
  const findings = checkMonthFindings({
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
  let count = 0;
  const counted = (function* () {
    for (const finding of inFindingsOrder(findings)) {
      count++;
      yield finding;
    }
  })();
  await deps.store.putStream(findingsKey, findingLines(counted), FINDING_LINES_CONTENT_TYPE);
  return { partition: input.partition, findingsKey, payees: payees.length, findings: count };
}
