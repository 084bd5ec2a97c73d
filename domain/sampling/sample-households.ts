import type { PayeeRow } from '#domain/month-check/records.ts';
import { CHECK_SEVERITIES } from '#schemas/finding-codes.ts';
import type { SampleHousehold } from './draw-sample.ts';

/** A finding as far as sampling needs it: the row it is on and its code. */
export interface RowFindingRef {
  readonly batch: string;
  /** Absent for file-level findings and `MISSING_PAYMENT`, which are on no roster row. */
  readonly row: number | undefined;
  readonly code: string;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sorted = (values: Iterable<string>) => [...values].sort(compare);
const rowKey = (batch: string, row: number) => `${row}\u0000${batch}`;

/**
 * The households that may be drawn for home visits: one per (town, household_id) of the month's
 * valid roster rows, sorted by town, then household_id. A household whose rows are in several
 * towns counts in each of them, with its rows there: the town is the stratum, and each town's
 * staff visit the members that town pays. `idNumber` is the household's first payee in the town
 * (by batch, then row); `findingCodes` are the distinct codes of the checks of contract 3.3 on any
 * of those rows, sorted (validation and file-level findings are not on valid rows).
 *
 * The definition over whole arrays; the month's draw folds its rows into a `HouseholdTally`,
 * which gives the same households in columns of numbers.
 */
export function sampleHouseholds(
  payees: readonly PayeeRow[],
  findings: readonly RowFindingRef[],
): SampleHousehold[] {
  const codesByRow = new Map<string, string[]>();
  for (const f of findings) {
    if (f.row === undefined || !Object.hasOwn(CHECK_SEVERITIES, f.code)) continue;
    const key = rowKey(f.batch, f.row);
    codesByRow.set(key, [...(codesByRow.get(key) ?? []), f.code]);
  }
  const byTown = new Map<string, Map<string, { first: PayeeRow; codes: Set<string> }>>();
  for (const payee of payees) {
    const town = byTown.get(payee.town) ?? new Map();
    byTown.set(payee.town, town);
    const household = town.get(payee.householdId) ?? { first: payee, codes: new Set<string>() };
    town.set(payee.householdId, household);
    const { first } = household;
    if (first.batch === payee.batch ? payee.row < first.row : payee.batch < first.batch)
      household.first = payee;
    for (const code of codesByRow.get(rowKey(payee.batch, payee.row)) ?? []) household.codes.add(code);
  }
  return sorted(byTown.keys()).flatMap((town) => {
    const members = byTown.get(town) as Map<string, { first: PayeeRow; codes: Set<string> }>;
    return sorted(members.keys()).map((householdId) => {
      const { first, codes } = members.get(householdId) as { first: PayeeRow; codes: Set<string> };
      return { town, householdId, idNumber: first.idNumber, findingCodes: sorted(codes) };
    });
  });
}
