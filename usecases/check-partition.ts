import { checkMonth } from '#domain/month-check/check-month.ts';
import { partitionOf } from '#domain/month-check/partition.ts';
import type { Finding } from '#schemas/finding.ts';
import type { PartitionResult } from '#schemas/month-run.ts';
import { loadDatasetRecords } from './load-dataset.ts';
import { loadStagedPayees } from './load-staged-payees.ts';
import { type MonthRunManifest, runPrefix } from './month-run-manifest.ts';
import type { ObjectStore } from './ports.ts';

export const partitionFindingsKey = (month: string, runId: string, partition: number) =>
  `${runPrefix(month, runId)}/partition-${String(partition).padStart(4, '0')}.json`;

async function readJson<T>(store: ObjectStore, key: string): Promise<T> {
  const bytes = await store.readBytes(key);
  if (bytes === undefined) throw new Error(`${key} is missing`);
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
}

/**
 * Checks the people of one partition (those whose ID hashes to it) against the registry and the
 * partner data (contract 3.3) and writes the partition's findings.
 */
export async function checkPartition(
  input: { manifestKey: string; partition: number },
  deps: { store: ObjectStore },
): Promise<PartitionResult> {
  const manifest = await readJson<MonthRunManifest>(deps.store, input.manifestKey);
  const { partitionCount } = manifest;
  const mine = (idNumber: string) => partitionOf(idNumber, partitionCount) === input.partition;
  const accepted = manifest.batches.filter((b) => b.status === 'ACCEPTED' && b.stagedKey !== undefined);
  const payees = await loadStagedPayees(
    accepted.map((b) => ({ batch: b.batch, stagedKey: b.stagedKey as string })),
    deps.store,
    mine,
  );
  const records = await loadDatasetRecords(manifest.datasets, deps.store, mine);
  const shared = await readJson<Record<string, string[]>>(deps.store, manifest.sharedAccountsKey);
  const findings: Finding[] = checkMonth({
    config: {
      month: manifest.month,
      employedContributionBaseFen: manifest.config.employedContributionBaseFen,
      pensionIncomeFen: manifest.config.pensionIncomeFen,
    },
    payees,
    ...records,
    sharedAccounts: new Map(Object.entries(shared)),
  });
  const findingsKey = partitionFindingsKey(manifest.month, manifest.runId, input.partition);
  await deps.store.put(findingsKey, JSON.stringify(findings), 'application/json');
  return { partition: input.partition, findingsKey, payees: payees.length, findings: findings.length };
}
