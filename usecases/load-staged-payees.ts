import { type Table, tableFromIPC, type Vector } from 'apache-arrow';
import type { PayeeRow } from '#domain/month-check/records.ts';
import type { CategoryCode } from '#schemas/categories.ts';
import type { ObjectStore } from './ports.ts';

/** A batch's current accepted file, as the month run reads it. */
export interface StagedBatch {
  readonly batch: string;
  readonly stagedKey: string;
}

function column(table: Table, name: string): Vector {
  const vector = table.getChild(name);
  if (!vector) throw new Error(`staged roster lacks column ${name}`);
  return vector;
}

/**
 * Reads the valid rows of the month's staged rosters (Arrow) back as payee rows, keeping only the
 * rows whose ID passes `keep` (a partition's people).
 */
export async function loadStagedPayees(
  batches: readonly StagedBatch[],
  store: ObjectStore,
  keep: (idNumber: string) => boolean = () => true,
): Promise<PayeeRow[]> {
  const payees: PayeeRow[] = [];
  for (const { batch, stagedKey } of batches) {
    const bytes = await store.readBytes(stagedKey);
    if (bytes === undefined) throw new Error(`staged roster ${stagedKey} of batch ${batch} is missing`);
    const table = tableFromIPC(bytes);
    const [row, id, name, household, category, amount, town, account, holder] = [
      'row',
      'id_number',
      'name',
      'household_id',
      'category',
      'amount_fen',
      'town',
      'account_number',
      'account_holder_id',
    ].map((n) => column(table, n)) as Vector[];
    for (let i = 0; i < table.numRows; i++) {
      const idNumber = id?.get(i) as string;
      if (!keep(idNumber)) continue;
      payees.push({
        batch,
        row: row?.get(i) as number,
        idNumber,
        name: name?.get(i) as string,
        householdId: household?.get(i) as string,
        category: category?.get(i) as CategoryCode,
        amountFen: amount?.get(i) as number,
        town: town?.get(i) as string,
        accountNumber: account?.get(i) as string,
        accountHolderId: holder?.get(i) as string,
      });
    }
  }
  return payees;
}
