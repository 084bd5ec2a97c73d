import type { PayeeRow } from './records.ts';

/**
 * The accounts shared across households (contract 3.3 `SHARED_ACCOUNT`): every account number
 * that the valid rows of the month (all batches, whatever other findings the rows have) pay for
 * two or more different `household_id`s. A global pre-pass over all rows, because a shared
 * account crosses people and so crosses partitions.
 *
 * Account numbers and household ids are compared exactly as staged (account numbers are
 * digits only; household ids are identifiers, not codes, so `H001` and `h001` are two
 * households). One pass, one Map entry per account; a `Set` only for the shared ones.
 * @param payees the valid rows of the month.
 * @returns account number → its distinct household ids, sorted by UTF-16 code units;
 *   only accounts of two or more households, in order of first appearance.
 * @example sharedAccounts([{ accountNumber: '6222…01', householdId: 'H2', … },
 *   { accountNumber: '6222…01', householdId: 'H1', … }]) // Map { '6222…01' => ['H1', 'H2'] }
 */
export function sharedAccounts(payees: readonly PayeeRow[]): Map<string, string[]> {
  const tally = new SharedAccountTally();
  for (const row of payees) tally.add(row.accountNumber, row.householdId);
  return tally.shared();
}

/**
 * {@link sharedAccounts} fed one (account number, household id) pair at a time, so the pre-pass
 * can read the two columns of the staged rosters without making a payee row of each.
 */
export class SharedAccountTally {
  readonly #households = new Map<string, string | Set<string>>();

  /** Counts one valid row of the month. */
  add(accountNumber: string, householdId: string): void {
    const seen = this.#households.get(accountNumber);
    if (seen === undefined) this.#households.set(accountNumber, householdId);
    else if (typeof seen === 'string') {
      if (seen !== householdId) this.#households.set(accountNumber, new Set([seen, householdId]));
    } else seen.add(householdId);
  }

  /** The accounts of two or more households so far, as {@link sharedAccounts} returns them. */
  shared(): Map<string, string[]> {
    const shared = new Map<string, string[]>();
    for (const [account, seen] of this.#households) {
      if (typeof seen !== 'string') shared.set(account, [...seen].sort());
    }
    return shared;
  }
}

/** An account of two or more households found by one account partition's pass. */
export interface SharedAccountOfPart {
  readonly accountNumber: string;
  /** Distinct household ids, sorted by UTF-16 code units. */
  readonly households: readonly string[];
  /** Where the account first appears in the month's rows (any order-preserving number). */
  readonly first: number;
}

/**
 * {@link SharedAccountTally} for one partition of the accounts (all rows of an account in one
 * partition), fed rows in any order of accounts but, for each account, its rows in month order
 * with their place: the parts of all partitions merge ({@link mergeSharedAccountParts}) into
 * exactly what the tally over every row gives, order of first appearance included.
 */
export class SharedAccountPartTally {
  readonly #accounts = new Map<string, { readonly first: number; seen: string | Set<string> }>();

  /** Counts one valid row of the month at place `position` (month order: batch, then row). */
  add(accountNumber: string, householdId: string, position: number): void {
    const account = this.#accounts.get(accountNumber);
    if (account === undefined) this.#accounts.set(accountNumber, { first: position, seen: householdId });
    else if (typeof account.seen === 'string') {
      if (account.seen !== householdId) account.seen = new Set([account.seen, householdId]);
    } else account.seen.add(householdId);
  }

  /** The accounts of two or more households of this part. */
  shared(): SharedAccountOfPart[] {
    const shared: SharedAccountOfPart[] = [];
    for (const [accountNumber, { first, seen }] of this.#accounts) {
      if (typeof seen !== 'string') shared.push({ accountNumber, households: [...seen].sort(), first });
    }
    return shared;
  }
}

/**
 * The shared accounts of the whole month from the parts of every account partition, as
 * {@link sharedAccounts} gives them: in order of first appearance.
 */
export function mergeSharedAccountParts(
  parts: Iterable<readonly SharedAccountOfPart[]>,
): Map<string, string[]> {
  const all = [...parts].flat().sort((a, b) => a.first - b.first);
  return new Map(all.map((a) => [a.accountNumber, [...a.households]]));
}
