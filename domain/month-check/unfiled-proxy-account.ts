import { maskIdNumber } from '#domain/id-number.ts';
import { PROXY_ACCOUNTS } from '#schemas/datasets/proxy-accounts.ts';
import type { CheckContext } from './check-context.ts';
import { bilingual } from './finding-detail.ts';
import type { PayeeRow } from './records.ts';

/**
 * `UNFILED_PROXY_ACCOUNT` (contract 3.3, REVIEW): `account_holder_id` is set and differs from
 * `id_number` (both upper-cased when staged), and (`account_number`, `id_number`) is not in the
 * proxy register. The holder's ID is someone else's: the detail shows it masked.
 * @returns the detail, or `undefined` when the payee holds the account or the proxy is filed.
 * @example '开户人 442000********123X 非本人，未在 registers/proxy-accounts.csv 备案 / account holder 442000********123X is not the payee, not filed in registers/proxy-accounts.csv'
 */
export function unfiledProxyAccount(row: PayeeRow, ctx: CheckContext): string | undefined {
  if (row.accountHolderId === '' || row.accountHolderId === row.idNumber) return undefined;
  if (ctx.proxyRegister.has(row.accountNumber, row.idNumber)) return undefined;
  const holder = maskIdNumber(row.accountHolderId);
  const register = PROXY_ACCOUNTS.source.key;
  return bilingual(
    `开户人 ${holder} 非本人，未在 ${register} 备案`,
    `account holder ${holder} is not the payee, not filed in ${register}`,
  );
}
