import { type StagedBatch, stagedRosterBatches } from './load-staged-payees.ts';
import type { ObjectStore } from './ports.ts';

/** The columns of one record batch of a staged roster that place a row in its household. */
export interface HouseholdRowColumns {
  readonly batch: string;
  readonly length: number;
  readonly row: (i: number) => number;
  readonly town: (i: number) => string;
  readonly householdId: (i: number) => string;
  readonly idNumber: (i: number) => string;
}

/**
 * The valid rows of the month's staged rosters, one Arrow record batch at a time, as the columns
 * the sample needs only (row, town, household_id, id_number): no object per row, and only one
 * staged roster file held at a time.
 * @throws Error when a staged roster is missing, cannot be read or lacks a column.
 */
export async function* streamStagedHouseholdRows(
  batches: readonly StagedBatch[],
  store: ObjectStore,
): AsyncGenerator<HouseholdRowColumns> {
  for await (const { batch, columns: b } of stagedRosterBatches(batches, store)) {
    yield {
      batch,
      length: b.length,
      row: b.uint32('row'),
      town: b.text('town'),
      householdId: b.text('household_id'),
      idNumber: b.text('id_number'),
    };
  }
}
