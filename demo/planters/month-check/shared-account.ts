import type { Row } from '#demo/model.ts';
import { both, plainId, single } from './person-tests.ts';
import { ACCEPTED, type Planter } from './planter.ts';

/**
 * SHARED_ACCOUNT: one account paid for two households, one of them filed in the proxy register
 * (exempt), and one for three households over two towns, nothing filed; and the look-alikes that
 * get none: an invalid row on another household's account, two members of one household.
 */
export function plantSharedAccount(p: Planter): void {
  const { proxy } = p.records;
  {
    // A pair: the neighbour's proxy is filed, the card owner's own row is not.
    const x = p.take(p.holderHost(), both(single(), plainId), (r) => p.hostOf(r).profile.holder);
    const plan = x ? p.hostOf(x) : undefined;
    const y = plan
      ? p.take(
          plan,
          both(single('ELDERLY'), plainId),
          (r) => r.entry.person.household !== x?.entry.person.household,
        )
      : undefined;
    if (x && y) {
      const owner = x.entry.person;
      y.entry.person.account = owner.account;
      y.values.account_number = owner.account;
      const yPlan = p.hostOf(y);
      if (yPlan.profile.holder) y.values.account_holder_id = owner.id;
      proxy.push([owner.account, y.entry.person.id, owner.id, p.filedDate()]);
      p.note(
        x,
        `account also receives the allowance of ${y.entry.person.household} (another household), whose proxy is filed: SHARED_ACCOUNT on this row only`,
      );
      p.note(
        y,
        `paid to the account of ${owner.household} (a neighbour), filed in the proxy register: exempt, no finding`,
      );
    }
  }
  {
    // Three households on one account, over two towns, nothing filed.
    const z1 = p.take(p.host(), both(single(), plainId));
    if (z1) {
      const home = p.hostOf(z1);
      const owner = z1.entry.person;
      const z2 = p.take(home, both(single(), plainId), (r) => r.entry.person.household !== owner.household);
      const z3 = p.take(
        p.other(home),
        single(),
        (r) =>
          r.entry.person.household !== owner.household &&
          r.entry.person.household !== z2?.entry.person.household,
      );
      p.note(z1, 'account also on the rows of two other households: SHARED_ACCOUNT');
      for (const z of [z2, z3]) {
        if (!z) continue;
        z.values.account_number = owner.account;
        p.note(
          z,
          `paid to the account of ${owner.household} (another household), not filed: SHARED_ACCOUNT and ACCOUNT_MISMATCH`,
        );
      }
      if (z2 && p.hostOf(z2).profile.holder) {
        z2.values.account_holder_id = owner.id;
        p.note(z2, 'account holder set to the owner, not filed: UNFILED_PROXY_ACCOUNT');
      }
    }
  }
  {
    // An invalid row on the account of a valid row of another household.
    const planted = p.plans
      .filter((x) => ACCEPTED.includes(x.role))
      .flatMap((x) => x.recs)
      .find(
        (r): r is Row =>
          r.kind === 'row' &&
          r.plant !== undefined &&
          r.plant.codes.every((code) =>
            ['INVALID_NAME', 'WRONG_MONTH', 'UNKNOWN_CATEGORY', 'INVALID_AMOUNT'].includes(code),
          ) &&
          /^\s*\d{10,25}\s*$/.test(r.values.account_number),
      );
    const v = planted
      ? p.take(p.host(), single(), (r) => r.entry.person.household !== planted.entry.person.household)
      : undefined;
    if (planted && v) {
      planted.values.account_number = v.entry.person.account;
      planted.check =
        'invalid row carrying the account of another household: not a valid row, no SHARED_ACCOUNT';
      p.note(v, 'its account is also on an invalid row of another household: no finding');
    }
  }
  {
    // Two members of one household share an account.
    const a = p.take(p.host(), single(), (r) => p.mateOf(r, single()) !== undefined);
    const mate = a ? p.mateOf(a, single()) : undefined;
    const mateRow = mate ? p.rowsOf(mate)[0] : undefined;
    if (a && mate && mateRow) {
      p.claim(mate);
      mate.account = a.entry.person.account;
      mateRow.values.account_number = a.entry.person.account;
      p.note(a, 'account shared with a member of the same household: no finding');
      p.note(
        mateRow,
        'account shared with a member of the same household (also in the registry): no finding',
      );
    }
  }
}
