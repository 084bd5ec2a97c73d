import { partitionIndexes } from '#domain/month-check/partition.ts';
import { mergeSharedAccountParts, type SharedAccountOfPart } from '#domain/month-check/shared-accounts.ts';
import { sharedAccountsPart } from '#schemas/bucket-layout.ts';
import type { MonthRunManifest } from './month-run-manifest.ts';
import type { ObjectStore } from './ports.ts';
import { readJson } from './read-json.ts';

/**
 * Joins the parts the shared-account pass wrote, one per account partition (FindSharedAccounts),
 * into the month's shared accounts in order of first appearance (`mergeSharedAccountParts`), at
 * the key the run manifest names (`sharedAccountsKey`), which every partition check reads. Holds
 * only the shared accounts, never the month's accounts.
 * @throws Error when an account partition's part is missing (its item did not run).
 */
export async function mergeSharedAccounts(
  input: { manifestKey: string },
  deps: { store: ObjectStore },
): Promise<{ sharedAccountsKey: string; accounts: number }> {
  const manifest = await readJson<MonthRunManifest>(deps.store, input.manifestKey);
  const parts: SharedAccountOfPart[][] = [];
  for (const partition of partitionIndexes(manifest.partitionCount)) {
    const key = sharedAccountsPart.key({ month: manifest.month, runId: manifest.runId, partition });
    parts.push(await readJson<SharedAccountOfPart[]>(deps.store, key));
  }
  const shared = mergeSharedAccountParts(parts);
  const { sharedAccountsKey } = manifest;
  await deps.store.put(sharedAccountsKey, JSON.stringify(Object.fromEntries(shared)), 'application/json');
  return { sharedAccountsKey, accounts: shared.size };
}
