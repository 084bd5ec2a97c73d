import { type IdSet, type Person, pickFreeRow, type TownPlan } from '#demo/model.ts';
import type { Rng } from '#demo/people.ts';
import { INVALID_ACCOUNT_PLANTS } from './invalid-account.ts';
import { INVALID_AMOUNT_PLANTS } from './invalid-amount.ts';
import { INVALID_ID_PLANTS, NUMBER_CELL_ID_PLANTS } from './invalid-id.ts';
import { FORMULA_NAME_PLANTS, INVALID_NAME_PLANTS } from './invalid-name.ts';
import { MISSING_FIELD_PLANTS } from './missing-field.ts';
import type { RowPlant } from './row-plant.ts';
import { SEVERAL_PROBLEMS_PLANT } from './several-problems.ts';
import { UNKNOWN_CATEGORY_PLANTS } from './unknown-category.ts';
import { UNKNOWN_TOWN_PLANTS } from './unknown-town.ts';
import { WRONG_MONTH_PLANTS } from './wrong-month.ts';

/**
 * Every planted validation problem, one file per code as in `domain/roster-row-validation.ts`'s
 * order of codes. The order is the order of the seeded draws: reordering changes which row
 * carries which problem (the demonstration's bytes), not what is planted.
 */
const ROW_PLANTS: readonly RowPlant[] = [
  ...INVALID_ID_PLANTS,
  ...MISSING_FIELD_PLANTS,
  ...INVALID_NAME_PLANTS,
  ...INVALID_AMOUNT_PLANTS,
  ...UNKNOWN_CATEGORY_PLANTS,
  ...UNKNOWN_TOWN_PLANTS,
  ...INVALID_ACCOUNT_PLANTS,
  ...WRONG_MONTH_PLANTS,
  SEVERAL_PROBLEMS_PLANT,
  ...NUMBER_CELL_ID_PLANTS,
];

/**
 * Plants every validation problem on a free row, each in the next accepted roster in turn (the
 * rosters shuffled first, so that problems land in different kinds of files) or in the first
 * roster of its role; the row's `plant` says what and which codes.
 */
export function plantRowProblems(plans: TownPlan[], month: string, rng: Rng, ids: IdSet): void {
  const hosts = plans.filter(
    (p) => p.role === 'csv' || p.role === 'gb18030' || p.role === 'xlsx' || p.role === 'reupload',
  );
  for (let i = hosts.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const a = hosts[i];
    const b = hosts[j];
    if (a && b) {
      hosts[i] = b;
      hosts[j] = a;
    }
  }
  let next = 0;
  for (const spec of ROW_PLANTS) {
    const candidates = spec.roles ? plans.filter((p) => spec.roles?.includes(p.role)) : hosts;
    const host = candidates[spec.roles ? 0 : next++ % candidates.length];
    if (!host) continue;
    const row = pickFreeRow(host, rng, (r) => spec.suits === undefined || spec.suits(r, ids));
    if (!row) continue;
    spec.apply(row, month, rng);
    row.plant = { codes: [...spec.codes], what: spec.what };
  }
}

/**
 * Plants the formula-like names (contract 2.1, amended): each on a row of the first roster of its
 * role whose person has no other roster row and whose account no other row uses, so that no
 * planted check loses a row it stands on. Called after the checks are planted, with a stream of
 * its own: every other planted row stays where it was.
 */
export function plantFormulaNames(plans: TownPlan[], month: string, rng: Rng): void {
  const persons = new Map<Person, number>();
  const accounts = new Map<string, number>();
  for (const plan of plans) {
    for (const rec of plan.recs) {
      if (rec.kind !== 'row') continue;
      persons.set(rec.entry.person, (persons.get(rec.entry.person) ?? 0) + 1);
      accounts.set(rec.values.account_number, (accounts.get(rec.values.account_number) ?? 0) + 1);
    }
  }
  for (const spec of FORMULA_NAME_PLANTS) {
    const host = plans.find((p) => spec.roles === undefined || spec.roles.includes(p.role));
    if (!host) continue;
    const row = pickFreeRow(
      host,
      rng,
      (r) => persons.get(r.entry.person) === 1 && accounts.get(r.values.account_number) === 1,
    );
    if (!row) continue;
    spec.apply(row, month, rng);
    row.plant = { codes: [...spec.codes], what: spec.what };
  }
}
