import { bilingual, cite, maskAccount } from './finding-detail.ts';
import type { PayeeRow, RegistryRow } from './records.ts';

/**
 * `ACCOUNT_MISMATCH` (contract 3.3): the roster's `account_number` differs from the
 * registry's (digits compared exactly). The detail shows the last 4 digits of each.
 * @returns the detail, or `undefined` when the accounts are the same.
 * @example '救助对象库账号 ****4567，名册账号 ****9876（reference/registry.csv 第 17 行） / registry account ****4567, roster ****9876 (reference/registry.csv line 17)'
 */
export function accountMismatch(row: PayeeRow, entry: RegistryRow): string | undefined {
  if (row.accountNumber === entry.accountNumber) return undefined;
  const registered = maskAccount(entry.accountNumber);
  const paid = maskAccount(row.accountNumber);
  const source = cite(entry.source, entry.line);
  return bilingual(
    `救助对象库账号 ${registered}，名册账号 ${paid}${source.zh}`,
    `registry account ${registered}, roster ${paid}${source.en}`,
  );
}
