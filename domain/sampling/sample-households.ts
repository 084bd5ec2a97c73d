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

/** A household of a town as rows come: its first payee (by batch, then row) and its codes. */
interface Accumulator {
  batch: string;
  row: number;
  idNumber: string;
  /** Distinct codes so far (most households have none: no set is made for them). */
  codes: string[] | undefined;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const rowKey = (batch: string, row: number) => `${row}\u0000${batch}`;
const before = (a: PayeeRow, b: Accumulator) => (a.batch === b.batch ? a.row < b.row : a.batch < b.batch);

/** Codes of the checks of contract 3.3 (BLOCK or REVIEW) per roster row. */
function checkCodesByRow(findings: readonly RowFindingRef[]): Map<string, string[]> {
  const byRow = new Map<string, string[]>();
  for (const f of findings) {
    if (f.row === undefined || !Object.hasOwn(CHECK_SEVERITIES, f.code)) continue;
    const key = rowKey(f.batch, f.row);
    const codes = byRow.get(key);
    if (codes) codes.push(f.code);
    else byRow.set(key, [f.code]);
  }
  return byRow;
}

/**
 * The households that may be drawn for home visits: one per (town, household_id) of the month's
 * valid roster rows, sorted by town, then household_id. A household whose rows are in several
 * towns counts in each of them, with its rows there: the town is the stratum, and each town's
 * staff visit the members that town pays. `idNumber` is the household's first payee in the town
 * (by batch, then row); `findingCodes` are the distinct codes of the checks of contract 3.3 on any
 * of those rows, sorted (validation and file-level findings are not on valid rows).
 */
export function sampleHouseholds(
  payees: readonly PayeeRow[],
  findings: readonly RowFindingRef[],
): SampleHousehold[] {
  const tally = new HouseholdTally(findings);
  tally.add(payees);
  return tally.households();
}

/**
 * {@link sampleHouseholds} for payees that come piece by piece, in any order (staged rosters read
 * record batch by record batch): a household keeps its first payee's batch, row and ID and its
 * codes, never the rows themselves.
 */
export class HouseholdTally {
  readonly #codesByRow: Map<string, string[]>;
  readonly #byTown = new Map<string, Map<string, Accumulator>>();

  constructor(findings: readonly RowFindingRef[]) {
    this.#codesByRow = checkCodesByRow(findings);
  }

  add(payees: readonly PayeeRow[]): void {
    for (const payee of payees) {
      let town = this.#byTown.get(payee.town);
      if (town === undefined) {
        town = new Map();
        this.#byTown.set(payee.town, town);
      }
      let household = town.get(payee.householdId);
      if (household === undefined) {
        household = { batch: payee.batch, row: payee.row, idNumber: payee.idNumber, codes: undefined };
        town.set(payee.householdId, household);
      } else if (before(payee, household)) {
        household.batch = payee.batch;
        household.row = payee.row;
        household.idNumber = payee.idNumber;
      }
      for (const code of this.#codesByRow.get(rowKey(payee.batch, payee.row)) ?? []) {
        if (household.codes === undefined) household.codes = [code];
        else if (!household.codes.includes(code)) household.codes.push(code);
      }
    }
  }

  /** The households of the payees added, sorted by town, then household_id. */
  households(): SampleHousehold[] {
    const households: SampleHousehold[] = [];
    for (const town of [...this.#byTown.keys()].sort(compare)) {
      const members = this.#byTown.get(town) as Map<string, Accumulator>;
      for (const householdId of [...members.keys()].sort(compare)) {
        const { idNumber, codes } = members.get(householdId) as Accumulator;
        households.push({ town, householdId, idNumber, findingCodes: [...(codes ?? [])].sort(compare) });
      }
    }
    return households;
  }
}
