import { checkMonthFindings } from '#domain/month-check/check-month.ts';
import { compareFindings } from '#domain/month-check/compare-findings.ts';
import { PackedIdSet } from '#domain/packed-id-set.ts';
import { FINDING_LINES_CONTENT_TYPE, findingLines } from '#formats/findings-lines.ts';
import { partitionFindings } from '#schemas/bucket-layout.ts';
import { DATASETS } from '#schemas/datasets.ts';
import type { Finding } from '#schemas/finding.ts';
import type { PartitionResult } from '#schemas/month-run.ts';
import { loadDatasetRecords } from './load-dataset.ts';
import { loadPartitionPayees } from './load-staged-payees.ts';
import type { MonthRunManifest } from './month-run-manifest.ts';
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
 * order: a partition whose rows raise millions of findings never holds them. Reads its people
 * straight from the staged shards the run manifest names (`shardsOfPartition`): their rows of
 * every accepted batch, then of each dataset the records of those of them paid this month (of
 * the registry, which `checksUnpaid`, every record of the partition's people).
 */
export async function checkPartition(
  input: { manifestKey: string; partition: number },
  deps: { store: ObjectStore },
): Promise<PartitionResult> {
  const manifest = await readJson<MonthRunManifest>(deps.store, input.manifestKey);
  const scope = { partition: input.partition, partitions: manifest.partitionCount };
  const batches = manifest.batches.flatMap((b) =>
    b.status === 'ACCEPTED' && b.shards !== undefined ? [{ batch: b.batch, byId: b.shards.byId }] : [],
  );
  const payees = await loadPartitionPayees(batches, scope, deps.store);
  // Records of people not paid this month raise nothing, but the registry's raise MISSING_PAYMENT.
  const paid = new PackedIdSet(payees.length);
  for (const p of payees) paid.add(p.idNumber);
  const datasets = await loadDatasetRecords(manifest.datasets, deps.store, {
    partition: scope,
    filterOf: (name) => (DATASETS[name].checksUnpaid === true ? undefined : paid),
  });
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
