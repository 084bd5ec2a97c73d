import { sharedAccountsPart } from '#schemas/bucket-layout.ts';
import type { SharedAccountsPartResult } from '#schemas/month-run.ts';
import type { MonthRunManifest } from './month-run-manifest.ts';
import type { ObjectStore } from './ports.ts';
import { readJson } from './read-json.ts';
import { accountShardsOf, sharedAccountsOfPart } from './shared-account-pass.ts';

/**
 * One item of the month run's shared-account pass (contract 3.3 `SHARED_ACCOUNT`, a distributed
 * Map keyed by account): the accounts of two or more households among the accounts of account
 * partition `partition`, read from the account shards of the batches the run manifest names, and
 * written as the partition's part (`sharedAccountsPart`). Memory grows with the partition, not
 * with the month; MergeSharedAccounts joins the parts.
 * @throws Error when the partition is not one of the run's, or a shard the manifest names is absent.
 */
export async function findSharedAccounts(
  input: { manifestKey: string; partition: number },
  deps: { store: ObjectStore },
): Promise<SharedAccountsPartResult> {
  const manifest = await readJson<MonthRunManifest>(deps.store, input.manifestKey);
  const { partition } = input;
  if (partition >= manifest.partitionCount) {
    throw new Error(
      `run ${manifest.runId} has ${manifest.partitionCount} account partition(s), not ${partition + 1}`,
    );
  }
  const scope = { partition, partitions: manifest.partitionCount };
  const part = await sharedAccountsOfPart(accountShardsOf(manifest), scope, deps.store);
  const partKey = sharedAccountsPart.key({ month: manifest.month, runId: manifest.runId, partition });
  await deps.store.put(partKey, JSON.stringify(part), 'application/json');
  return { partition, partKey, accounts: part.length };
}
