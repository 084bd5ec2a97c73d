import {
  type Entry,
  type IdSet,
  type MakeContext,
  newPerson,
  type Person,
  pickFreeRow,
  type Role,
  type Row,
  rowValues,
  type TownPlan,
  townValue,
} from '#demo/model.ts';
import type { DemoTown, Rng } from '#demo/people.ts';
import { dayOf } from './month-days.ts';
import { emptyPartnerRecords, type PartnerRecords } from './partner-records.ts';
import type { PersonTest } from './person-tests.ts';

/** What the planters of contract 3.3 work on: the town plans after the validation problems. */
export interface CheckContext {
  plans: TownPlan[];
  month: string;
  rng: Rng;
  ids: IdSet;
  accounts: Set<number>;
  /** Registry rows of people on no roster. */
  extras: readonly Entry[];
}

/** The roles of the towns whose roster is accepted (its valid rows are checked). */
export const ACCEPTED: readonly Role[] = ['csv', 'gb18030', 'xlsx', 'reupload'];

/** Fisher–Yates with the given PRNG. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}

/** How a note names the town's rejected roster (the file without a required column). */
export const rejectedFile = (rejected: TownPlan) => `${rejected.town.code}'s rejected file (MISSING_COLUMNS)`;

/**
 * The planters' shared state: who already carries a plant (one plant per person, so that the
 * notes say exactly why a row gets its findings), which accepted town is next in turn, the
 * registry rows added and the register and partner records written so far.
 */
export class Planter {
  readonly plans: TownPlan[];
  readonly month: string;
  readonly rng: Rng;
  readonly ids: IdSet;
  readonly accounts: Set<number>;
  readonly extras: readonly Entry[];
  readonly accepted: TownPlan[];
  readonly withHolder: TownPlan[];
  readonly rejected: TownPlan | undefined;
  /** Registry rows added for the plants (a second category of a person). */
  readonly registry: Entry[] = [];
  readonly records: PartnerRecords = emptyPartnerRecords();
  private readonly byPerson = new Map<Person, Row[]>();
  private readonly planOf = new Map<Row, TownPlan>();
  private readonly households = new Map<string, Person[]>();
  private readonly touched = new Set<Person>();
  private turn = 0;

  constructor(c: CheckContext) {
    this.plans = c.plans;
    this.month = c.month;
    this.rng = c.rng;
    this.ids = c.ids;
    this.accounts = c.accounts;
    this.extras = c.extras;
    for (const plan of c.plans) for (const rec of plan.recs) if (rec.kind === 'row') this.index(rec, plan);
    this.accepted = shuffled(
      c.plans.filter((p) => ACCEPTED.includes(p.role)),
      c.rng,
    );
    this.withHolder = this.accepted.filter((p) => p.profile.holder);
    this.rejected = c.plans.find((p) => p.role === 'missingColumns');
  }

  private index(row: Row, plan: TownPlan): void {
    const rows = this.byPerson.get(row.entry.person);
    if (rows) rows.push(row);
    else this.byPerson.set(row.entry.person, [row]);
    this.planOf.set(row, plan);
  }

  /** The town plan holding `row`. */
  hostOf(row: Row): TownPlan {
    const plan = this.planOf.get(row);
    if (!plan) throw new Error('row of no town');
    return plan;
  }

  /** Whether nothing is planted on the person yet. */
  isFree(person: Person): boolean {
    return !this.touched.has(person) && this.rowsOf(person).every((x) => !x.plant && !x.edge && !x.check);
  }

  /** Another free person of the household of `row` whose rows pass `test`, if any. */
  mateOf(row: Row, test: PersonTest): Person | undefined {
    if (this.households.size === 0)
      for (const person of this.byPerson.keys()) {
        const members = this.households.get(person.household);
        if (members) members.push(person);
        else this.households.set(person.household, [person]);
      }
    return this.households
      .get(row.entry.person.household)
      ?.find((m) => m !== row.entry.person && this.isFree(m) && test(this.rowsOf(m)));
  }

  /** Takes `person` (nothing else is planted on them). */
  claim(person: Person): void {
    this.touched.add(person);
  }

  rowsOf(person: Person): Row[] {
    return this.byPerson.get(person) ?? [];
  }

  /** The next accepted town in turn (from `list`). */
  host(list: readonly TownPlan[] = this.accepted): TownPlan | undefined {
    return list.length > 0 ? list[this.turn++ % list.length] : undefined;
  }

  /** The next accepted town in turn whose roster has an `account_holder_id` column, if any has. */
  holderHost(): TownPlan | undefined {
    return this.host(this.withHolder.length > 0 ? this.withHolder : this.accepted);
  }

  /** Another accepted town than `plan`, if there is one (else `plan`). */
  other(plan: TownPlan): TownPlan {
    const at = this.accepted.indexOf(plan);
    for (let k = 1; k < this.accepted.length; k++) {
      const candidate = this.accepted[(at + k) % this.accepted.length];
      if (candidate && candidate !== plan) return candidate;
    }
    return plan;
  }

  ctx(plan: TownPlan): MakeContext {
    return {
      rng: this.rng,
      town: plan.town,
      index: plan.index,
      month: this.month,
      ids: this.ids,
      accounts: this.accounts,
    };
  }

  /**
   * A row of a person nobody has planted anything on, in `plan` first and then in the other
   * accepted towns, whose roster rows (all of them) pass `test`. The person is then taken.
   */
  take(
    plan: TownPlan | undefined,
    test: PersonTest = () => true,
    also: (row: Row) => boolean = () => true,
  ): Row | undefined {
    const order = plan ? [plan, ...this.accepted.filter((p) => p !== plan)] : this.accepted;
    for (const host of order) {
      const row = pickFreeRow(host, this.rng, (r) => {
        const person = r.entry.person;
        return this.isFree(person) && also(r) && test(this.rowsOf(person));
      });
      if (row) {
        this.touched.add(row.entry.person);
        return row;
      }
    }
    return undefined;
  }

  note(row: Row, what: string): void {
    row.check = row.check ? `${row.check}; ${what}` : what;
  }

  /** A new roster row for `entry` in `plan`, at a random place; `town` overrides the town written. */
  addRow(plan: TownPlan, entry: Entry, what: string, town?: DemoTown, values?: Row['values']): Row {
    const row: Row = {
      kind: 'row',
      entry,
      values: values ?? rowValues(entry, this.month, plan.profile, this.rng),
    };
    if (town) row.values.town = townValue(plan.profile, town, this.rng);
    plan.recs.splice(this.rng.int(1, plan.recs.length), 0, row);
    this.index(row, plan);
    this.touched.add(entry.person);
    this.note(row, what);
    return row;
  }

  /** Someone on no roster and in no registry (a relative, a stranger in a partner file). */
  stranger(minAge: number, maxAge: number): Person {
    const plan = this.plans[this.rng.int(0, this.plans.length - 1)] ?? this.plans[0];
    if (!plan) throw new Error('no town');
    return newPerson(this.ctx(plan), '', minAge, maxAge);
  }

  /** A filing date of a register row: 40 days to about two and a half years before the month. */
  filedDate(): string {
    return dayOf(this.month, -this.rng.int(40, 900));
  }
}
