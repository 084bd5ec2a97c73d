import { checkContext } from '#domain/month-check/check-context.ts';
import { deathFinding } from '#domain/month-check/deceased.ts';
import { Person } from '#domain/month-check/person.ts';
import type { DeathRecord, MonthCheckInput } from '#domain/month-check/records.ts';

/** A row about to be released whose payee the newest records show dead before the month. */
export interface NewlyDeceased {
  readonly batch: string;
  readonly row: number;
  readonly idNumber: string;
  readonly detail: string;
}

/**
 * The deceased check of contract 3.3 again, just before release, over the rows to release and
 * the newest death and cremation records: the rows that would now be `DECEASED` (BLOCK).
 * `DIED_IN_MONTH` is REVIEW and does not change the release.
 */
export function deceasedRecheck(
  month: string,
  rows: readonly { readonly batch: string; readonly row: number; readonly idNumber: string }[],
  deaths: readonly DeathRecord[],
): NewlyDeceased[] {
  const byId = new Map<string, DeathRecord[]>();
  for (const record of deaths) {
    const list = byId.get(record.idNumber);
    if (list) list.push(record);
    else byId.set(record.idNumber, [record]);
  }
  const ctx = checkContext({
    config: { month, employedContributionBaseFen: 0, pensionIncomeFen: 0 },
    proxyAccounts: [],
    sharedAccounts: new Map(),
  } as unknown as MonthCheckInput);
  const found: NewlyDeceased[] = [];
  for (const row of rows) {
    const records = byId.get(row.idNumber);
    if (records === undefined) continue;
    const person = new Person();
    person.deaths = records;
    const finding = deathFinding(person, ctx);
    if (finding?.code === 'DECEASED') {
      found.push({ batch: row.batch, row: row.row, idNumber: row.idNumber, detail: finding.detail });
    }
  }
  return found;
}
