import type { ProxyAccountRecord } from './records.ts';

/**
 * The filed proxy accounts of the proxy register (`registers/proxy-accounts.csv`), looked up by
 * (`account_number`, `payee_id_number`) as contract 3.3 asks; the holder and the filing date
 * do not matter for the lookup.
 */
export class ProxyRegister {
  readonly #payeesByAccount = new Map<string, Set<string>>();

  constructor(records: readonly ProxyAccountRecord[]) {
    for (const record of records) {
      const payees = this.#payeesByAccount.get(record.accountNumber);
      if (payees === undefined)
        this.#payeesByAccount.set(record.accountNumber, new Set([record.payeeIdNumber]));
      else payees.add(record.payeeIdNumber);
    }
  }

  /** Whether the register files `accountNumber` for the payee `idNumber`. */
  has(accountNumber: string, idNumber: string): boolean {
    return this.#payeesByAccount.get(accountNumber)?.has(idNumber) ?? false;
  }
}
