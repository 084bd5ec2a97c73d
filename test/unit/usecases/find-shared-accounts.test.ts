import { describe, expect, it } from 'vitest';
import { partitionOf } from '#domain/month-check/partition.ts';
import { type SharedAccountOfPart, SharedAccountTally } from '#domain/month-check/shared-accounts.ts';
import { StagedRosterWriter } from '#formats/staged-roster-writer.ts';
import { runManifest, runSharedAccounts, sharedAccountsPart } from '#schemas/bucket-layout.ts';
import { SharedAccountsPartResultSchema } from '#schemas/month-run.ts';
import { findSharedAccounts } from '#usecases/find-shared-accounts.ts';
import { mergeSharedAccounts } from '#usecases/merge-shared-accounts.ts';
import type { MonthRunManifest } from '#usecases/month-run-manifest.ts';
import { stageRosterShards } from '#usecases/stage-roster-shards.ts';
import { MemoryObjectStore } from './dataset/memory-object-store.ts';

const MONTH = '2026-10';
const RUN_ID = '0123456789abcdef';
const TOWNS = ['shiqi', 'dongqu'];

/** One valid row of a batch: (account number, household id). */
type Pair = readonly [account: string, household: string];

const account = (n: number) => `62220202${String(n).padStart(11, '0')}`;

/**
 * Two batches whose rows reuse 12 accounts among 9 households (some accounts one household's
 * only, some shared within a batch, some across the two), in a fixed pseudo-random order.
 */
function monthRows(): Record<string, Pair[]> {
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 48_271) % 2_147_483_647; // Park–Miller
    return seed % n;
  };
  const rows = (count: number): Pair[] =>
    Array.from({ length: count }, () => {
      const a = next(12);
      // Accounts 0–5 stay with one household each; 6–11 are paid to whichever household.
      return [account(a), a < 6 ? `H${a}` : `H${next(9)}`] as const;
    });
  return { dongqu: rows(40), shiqi: rows(50) };
}

/** A store holding the batches staged in shards of `rowsPerShard` rows, and the run manifest. */
async function stagedMonth(batches: Record<string, Pair[]>, partitionCount: number, rowsPerShard: number) {
  const store = new MemoryObjectStore();
  const manifestBatches = [];
  for (const [batch, pairs] of Object.entries(batches)) {
    const writer = new StagedRosterWriter(TOWNS);
    pairs.forEach(([accountNumber, householdId], i) => {
      writer.add({
        row: i + 1,
        idNumber: `44200019600101${String(i).padStart(4, '0')}`,
        name: `张${i}`,
        householdId,
        category: 'DIBAO',
        amountFen: 118_000,
        town: batch,
        accountNumber,
        accountHolderId: '',
        remark: '',
      });
    });
    const upload = { month: MONTH, batch, uploadId: `u-${batch}` };
    const shards = await stageRosterShards(upload, writer.toIpcFile(), { store, rowsPerShard });
    manifestBatches.push({ batch, status: 'ACCEPTED', shards, key: '', uploadId: upload.uploadId });
  }
  const manifestKey = runManifest.key({ month: MONTH, runId: RUN_ID });
  const manifest = {
    month: MONTH,
    runId: RUN_ID,
    batches: manifestBatches,
    partitionCount,
    sharedAccountsKey: runSharedAccounts.key({ month: MONTH, runId: RUN_ID }),
  } as unknown as MonthRunManifest;
  store.set(manifestKey, JSON.stringify(manifest));
  return { store, manifestKey };
}

/** The month's shared accounts as the tally over every row in month order (batch, then row) gives them. */
function expectedShared(batches: Record<string, Pair[]>): string {
  const tally = new SharedAccountTally();
  for (const pairs of Object.values(batches)) for (const [a, h] of pairs) tally.add(a, h);
  return JSON.stringify(Object.fromEntries(tally.shared()));
}

const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('utf8');

describe('the shared-account pass', () => {
  it.each([
    [1, 1000],
    [2, 7],
    [4, 16],
    [8, 5],
  ])(
    'with %i account partition(s) (shards of %i rows) merges into what the tally over every row gives, order included',
    async (partitionCount, rowsPerShard) => {
      // Prepare
      const batches = monthRows();
      const { store, manifestKey } = await stagedMonth(batches, partitionCount, rowsPerShard);

      // Act
      const results = [];
      for (let partition = 0; partition < partitionCount; partition++) {
        results.push(await findSharedAccounts({ manifestKey, partition }, { store }));
      }
      const merged = await mergeSharedAccounts({ manifestKey }, { store });

      // Assess
      const expected = expectedShared(batches);
      expect(Object.keys(JSON.parse(expected)).length).toBeGreaterThan(2);
      expect(text(store.get(merged.sharedAccountsKey))).toBe(expected);
      expect(merged.accounts).toBe(Object.keys(JSON.parse(expected)).length);
      for (const result of results) {
        expect(SharedAccountsPartResultSchema.parse(result)).toEqual(result);
        expect(result.partKey).toBe(
          sharedAccountsPart.key({ month: MONTH, runId: RUN_ID, partition: result.partition }),
        );
        // A part holds only the accounts that hash to its partition.
        const part = JSON.parse(text(store.get(result.partKey))) as SharedAccountOfPart[];
        expect(part).toHaveLength(result.accounts);
        for (const a of part) expect(partitionOf(a.accountNumber, partitionCount)).toBe(result.partition);
      }
      expect(results.reduce((n, r) => n + r.accounts, 0)).toBe(merged.accounts);
    },
  );

  it('refuses an account partition the run does not have, and a merge with a part missing', async () => {
    // Prepare
    const { store, manifestKey } = await stagedMonth(monthRows(), 2, 10);
    await findSharedAccounts({ manifestKey, partition: 0 }, { store });

    // Act
    const beyond = findSharedAccounts({ manifestKey, partition: 2 }, { store });
    const merge = mergeSharedAccounts({ manifestKey }, { store });

    // Assess
    await expect(beyond).rejects.toThrow('run 0123456789abcdef has 2 account partition(s), not 3');
    await expect(merge).rejects.toThrow(
      `${sharedAccountsPart.key({ month: MONTH, runId: RUN_ID, partition: 1 })} is missing`,
    );
  });
});
