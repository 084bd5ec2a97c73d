import { PackedIdMap } from '#domain/packed-id-map.ts';
import type { CategoryCode } from '#schemas/categories.ts';
import type { CheckContext } from './check-context.ts';
import type {
  BusinessRecord,
  DeathRecord,
  MonthCheckInput,
  PayeeRow,
  RegistryRow,
  SocialInsuranceRecord,
  StaffRelativeRecord,
} from './records.ts';

const NO_ROWS: readonly PayeeRow[] = Object.freeze([]);

/**
 * Everything the month check knows about one person (one ID number) who is paid this month:
 * their valid roster rows and the registry, partner and register records under their ID, each
 * list in input order. Lists stay `undefined` while empty, so the many people without partner
 * records cost nothing.
 */
export class Person {
  readonly rows: PayeeRow[] = [];
  registry: RegistryRow[] | undefined;
  deaths: DeathRecord[] | undefined;
  business: BusinessRecord[] | undefined;
  /** Only the records of the payment month and the month before: the others are never evidence. */
  socialInsurance: SocialInsuranceRecord[] | undefined;
  staffRelatives: StaffRelativeRecord[] | undefined;
  #byCategory: Map<CategoryCode, PayeeRow[]> | undefined;

  /**
   * The registry row for a category; with several (a registry breaking the one-row rule) the
   * first in input order.
   */
  registryRow(category: CategoryCode): RegistryRow | undefined {
    if (this.registry === undefined) return undefined;
    for (const entry of this.registry) if (entry.category === category) return entry;
    return undefined;
  }

  /** The person's rows in a category, in input order. Grouped once, so a person on many rows stays linear. */
  rowsIn(category: CategoryCode): readonly PayeeRow[] {
    const [first] = this.rows;
    if (this.rows.length === 1 && first !== undefined)
      return first.category === category ? this.rows : NO_ROWS;
    return this.byCategory().get(category) ?? NO_ROWS;
  }

  /** The person's rows grouped by category, categories in order of first appearance. */
  byCategory(): ReadonlyMap<CategoryCode, readonly PayeeRow[]> {
    if (this.#byCategory === undefined) {
      this.#byCategory = new Map();
      for (const row of this.rows) {
        const group = this.#byCategory.get(row.category);
        if (group === undefined) this.#byCategory.set(row.category, [row]);
        else group.push(row);
      }
    }
    return this.#byCategory;
  }
}

/**
 * The people paid this month, by ID number. A resident ID (17 digits and a check character, as
 * every valid roster row has) is looked up by its packed form ({@link PackedIdMap}: two integers
 * in typed arrays) — several times faster than a `Map` of strings over hundreds of thousands of
 * people, and a record's ID that does not pack is no payee's. Any other ID (only hand-made inputs
 * have them) goes to a plain `Map`, so the answer is the same for every string.
 */
export class People {
  readonly #packed: PackedIdMap;
  readonly #people: Person[] = [];
  readonly #others = new Map<string, Person>();

  constructor(expected: number) {
    this.#packed = new PackedIdMap(expected);
  }

  /** Number of people. */
  get size(): number {
    return this.#people.length + this.#others.size;
  }

  /** The person with this ID number, if paid this month. */
  get(idNumber: string): Person | undefined {
    const index = this.#packed.get(idNumber);
    return index >= 0 ? this.#people[index] : this.#others.size > 0 ? this.#others.get(idNumber) : undefined;
  }

  /** The person with this ID number, added when new. */
  add(idNumber: string): Person {
    const index = this.#packed.get(idNumber);
    if (index >= 0) return this.#people[index] as Person;
    let person = this.#others.get(idNumber);
    if (person !== undefined) return person;
    person = new Person();
    if (this.#packed.set(idNumber, this.#people.length)) this.#people.push(person);
    else this.#others.set(idNumber, person);
    return person;
  }
}

/**
 * Gathers the people paid this month with their records: one pass over each input, records of
 * people not paid this month dropped on the way (the registry is also read on its own for
 * `MISSING_PAYMENT`). Lookups by packed ID only, no string building per record.
 * @returns ID number → person, for every ID of `input.payees`.
 */
export function indexPeople(input: MonthCheckInput, ctx: CheckContext): People {
  const people = new People(input.payees.length);
  for (const row of input.payees) people.add(row.idNumber).rows.push(row);
  for (const entry of input.registry) {
    const person = people.get(entry.idNumber);
    if (person !== undefined) person.registry = appended(person.registry, entry);
  }
  for (const record of input.deaths) {
    const person = people.get(record.idNumber);
    if (person !== undefined) person.deaths = appended(person.deaths, record);
  }
  for (const record of input.business) {
    const person = people.get(record.idNumber);
    if (person !== undefined) person.business = appended(person.business, record);
  }
  for (const record of input.socialInsurance) {
    if (record.month !== ctx.month && record.month !== ctx.previousMonth) continue;
    const person = people.get(record.idNumber);
    if (person !== undefined) person.socialInsurance = appended(person.socialInsurance, record);
  }
  for (const record of input.staffRelatives) {
    const person = people.get(record.relativeIdNumber);
    if (person !== undefined) person.staffRelatives = appended(person.staffRelatives, record);
  }
  return people;
}

/** `list` with `item` pushed, or a new list of `item`. */
function appended<T>(list: T[] | undefined, item: T): T[] {
  if (list === undefined) return [item];
  list.push(item);
  return list;
}
