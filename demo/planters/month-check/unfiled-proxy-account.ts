import { newAccount } from '#demo/model.ts';
import { both, plainId, single } from './person-tests.ts';
import type { Planter } from './planter.ts';

/**
 * UNFILED_PROXY_ACCOUNT: cards held by a relative (`account_holder_id` set) and not filed, or
 * filed for the payee's previous card only; and one filed, which gets no finding.
 */
export function plantUnfiledProxyAccount(p: Planter): void {
  const { proxy } = p.records;
  const relative = () => p.stranger(20, 60).id;
  const unfiled = (what: string) => {
    const row = p.take(p.holderHost(), both(single(), plainId), (r) => p.hostOf(r).profile.holder);
    if (!row) return undefined;
    row.values.account_holder_id = relative();
    p.note(row, what);
    return row;
  };
  unfiled('card held by a relative (account_holder_id set), not filed: UNFILED_PROXY_ACCOUNT');
  unfiled('card held by a relative (account_holder_id set), not filed: UNFILED_PROXY_ACCOUNT');
  const filed = unfiled('card held by a relative, filed in the proxy register: no finding');
  if (filed) {
    proxy.push([
      filed.entry.person.account,
      filed.entry.person.id,
      filed.values.account_holder_id,
      p.filedDate(),
    ]);
  }
  const old = unfiled(
    'card held by a relative; the proxy is filed for the previous card only: UNFILED_PROXY_ACCOUNT',
  );
  if (old) {
    const plan = p.hostOf(old);
    proxy.push([newAccount(p.ctx(plan)), old.entry.person.id, old.values.account_holder_id, p.filedDate()]);
  }
}

/** The proxy register's other cases: filed proxies of registry recipients on no roster. */
export function fileProxiesOfAbsentRecipients(p: Planter): void {
  for (const extra of p.extras.slice(0, 5))
    p.records.proxy.push([extra.person.account, extra.person.id, p.stranger(25, 60).id, p.filedDate()]);
}

/**
 * Clears `account_holder_id` where the ID is written with a lower-case x: whether `…x` and `…X`
 * "differ" is not a question the demonstration should ask.
 */
export function clearAmbiguousHolders(p: Planter): void {
  for (const plan of p.plans)
    for (const rec of plan.recs)
      if (
        rec.kind === 'row' &&
        rec.values.account_holder_id !== '' &&
        /x/.test(rec.values.id_number + rec.values.account_holder_id)
      )
        rec.values.account_holder_id = '';
}
