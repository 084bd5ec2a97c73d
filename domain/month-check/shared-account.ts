import type { CheckContext } from './check-context.ts';
import { bilingual, maskAccount } from './finding-detail.ts';
import type { PayeeRow } from './records.ts';

/** Households named in a detail at most. */
const LISTED_HOUSEHOLDS = 10;

/**
 * `SHARED_ACCOUNT` (contract 3.3, REVIEW): the row's `account_number` is paid for two or more
 * households this month (`ctx.sharedAccounts`, from the global pre-pass `sharedAccounts`), and
 * (`account_number`, `id_number`) is not filed in the proxy register. The detail names the
 * households, sorted, at most 10.
 * @returns the detail, or `undefined` when the account is not shared or the proxy is filed.
 * @example '账号 ****4567 由 2 户共用：H001、H002 / account ****4567 used by 2 households: H001, H002'
 */
export function sharedAccount(row: PayeeRow, ctx: CheckContext): string | undefined {
  const households = ctx.sharedAccounts.get(row.accountNumber);
  if (households === undefined || ctx.proxyRegister.has(row.accountNumber, row.idNumber)) return undefined;
  const shown = households.slice(0, LISTED_HOUSEHOLDS);
  const more = households.length > shown.length;
  const account = maskAccount(row.accountNumber);
  return bilingual(
    `账号 ${account} 由 ${households.length} 户共用：${shown.join('、')}${more ? ' 等' : ''}`,
    `account ${account} used by ${households.length} households: ${shown.join(', ')}${more ? ', …' : ''}`,
  );
}
