import { checkContext } from '#domain/month-check/check-context.ts';
import { deathFinding } from '#domain/month-check/deceased.ts';
import { Person } from '#domain/month-check/person.ts';
import type { MonthCheckInput } from '#domain/month-check/records.ts';
import type { DatasetRecordLists } from '#schemas/datasets.ts';

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
  records: Pick<DatasetRecordLists, 'deaths' | 'cremations'>,
): NewlyDeceased[] {
  return new DeceasedRecheck(month, records).check(rows);
}

/**
 * {@link deceasedRecheck} for rows that come piece by piece (a release read as it streams): the
 * records are indexed once, and each piece of rows is checked against them; the pieces' results,
 * in order, are the whole's.
 */
export class DeceasedRecheck {
  readonly #byId = new Map<string, Person>();
  readonly #ctx: ReturnType<typeof checkContext>;

  constructor(month: string, records: Pick<DatasetRecordLists, 'deaths' | 'cremations'>) {
    const personWith = (idNumber: string) => {
      let person = this.#byId.get(idNumber);
      if (person === undefined) {
        person = new Person();
        this.#byId.set(idNumber, person);
      }
      return person;
    };
    for (const record of records.deaths) personWith(record.idNumber).add('deaths', record);
    for (const record of records.cremations) personWith(record.idNumber).add('cremations', record);
    this.#ctx = checkContext({
      config: { month, employedContributionBaseFen: 0, pensionIncomeFen: 0 },
      datasets: { 'proxy-accounts': [] },
      sharedAccounts: new Map(),
    } as unknown as MonthCheckInput);
  }

  /** The rows of `rows` whose payee the records show dead before the month, in order. */
  check(
    rows: readonly { readonly batch: string; readonly row: number; readonly idNumber: string }[],
  ): NewlyDeceased[] {
    const found: NewlyDeceased[] = [];
    for (const row of rows) {
      const person = this.#byId.get(row.idNumber);
      if (person === undefined) continue;
      const finding = deathFinding(person, this.#ctx);
      if (finding?.code === 'DECEASED') {
        found.push({ batch: row.batch, row: row.row, idNumber: row.idNumber, detail: finding.detail });
      }
    }
    return found;
  }
}
