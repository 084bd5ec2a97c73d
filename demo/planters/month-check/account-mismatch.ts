import { ACCOUNT_PREFIXES, newAccount } from '#demo/model.ts';
import { single } from './person-tests.ts';
import type { Planter } from './planter.ts';

/** ACCOUNT_MISMATCH: a replaced bank card the registry does not know, and a mistyped digit. */
export function plantAccountMismatch(p: Planter): void {
  const card = p.take(p.host(), single());
  if (card) {
    card.values.account_number = newAccount(p.ctx(p.hostOf(card)));
    p.note(card, 'bank card replaced, the registry still has the old account: ACCOUNT_MISMATCH');
  }
  const typo = p.take(p.host(), single());
  if (typo) {
    typo.values.account_number = mistyped(p, typo.entry.person.account);
    p.note(typo, 'account with one digit mistyped: ACCOUNT_MISMATCH');
  }
}

/** An unused account number that differs from `account` in one digit (a typing error). */
function mistyped(p: Planter, account: string): string {
  const prefix = ACCOUNT_PREFIXES.indexOf(account.slice(0, 6) as (typeof ACCOUNT_PREFIXES)[number]);
  for (let at = account.length - 1; at >= 8; at--) {
    const digit = Number(account.charAt(at));
    const candidate = `${account.slice(0, at)}${(digit + 1) % 10}${account.slice(at + 1)}`;
    const key = prefix * 1e13 + Number(candidate.slice(6));
    if (prefix >= 0 && !p.accounts.has(key)) {
      p.accounts.add(key);
      return candidate;
    }
  }
  const plan = p.accepted[0] ?? p.plans[0];
  if (!plan) throw new Error('no town');
  return newAccount(p.ctx(plan));
}
