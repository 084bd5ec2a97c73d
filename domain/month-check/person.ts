import { PackedIdMap } from '#domain/packed-id-map.ts';
import type { CategoryCode } from '#schemas/categories.ts';
import type { DatasetDescriptor } from '#schemas/dataset-descriptor.ts';
import { DATASET_NAMES, DATASETS, type DatasetName, type DatasetRecord } from '#schemas/datasets.ts';
import type { MonthCheckInput, PayeeRow, RegistryRow } from './records.ts';

const NO_ROWS: readonly PayeeRow[] = Object.freeze([]);

/** Position of each dataset's list in a person's records. */
const DATASET_INDEX = Object.fromEntries(DATASET_NAMES.map((name, d) => [name, d])) as {
  readonly [N in DatasetName]: number;
};

/**
 * Everything the month check knows about one person (one ID number) who is paid this month:
 * their valid roster rows and the records of every dataset about them (by the dataset's
 * `personOf`), each list in input order. Lists stay `undefined` while empty, so the many people
 * without partner records cost little.
 */
export class Person {
  readonly rows: PayeeRow[] = [];
  /** By dataset position ({@link DATASET_INDEX}); allocated with the first record. */
  #records: unknown[][] | undefined;
  #byCategory: Map<CategoryCode, PayeeRow[]> | undefined;

  /** The person's records of a dataset, in input order; `undefined` when there are none. */
  records<N extends DatasetName>(name: N): readonly DatasetRecord<N>[] | undefined {
    return this.#records?.[DATASET_INDEX[name]] as DatasetRecord<N>[] | undefined;
  }

  /** Adds a record of a dataset about the person, after the ones added before. */
  add<N extends DatasetName>(name: N, record: DatasetRecord<N>): void {
    this.addAt(DATASET_INDEX[name], record);
  }

  /**
   * {@link add} by the dataset's position in `DATASET_NAMES`, for a loop over a whole dataset.
   * The record must be of that dataset.
   */
  addAt(position: number, record: unknown): void {
    let lists = this.#records;
    if (lists === undefined) {
      lists = new Array<unknown[]>(DATASET_NAMES.length);
      this.#records = lists;
    }
    const list = lists[position];
    if (list === undefined) lists[position] = [record];
    else list.push(record);
  }

  /**
   * The registry row for a category; with several (a registry breaking the one-row rule) the
   * first in input order.
   */
  registryRow(category: CategoryCode): RegistryRow | undefined {
    const registry = this.records('registry');
    if (registry === undefined) return undefined;
    for (const entry of registry) if (entry.category === category) return entry;
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
export function indexPeople(input: MonthCheckInput): People {
  const people = new People(input.payees.length);
  for (const row of input.payees) people.add(row.idNumber).rows.push(row);
  DATASET_NAMES.forEach((name, position) => {
    const { personOf }: DatasetDescriptor = DATASETS[name];
    for (const record of input.datasets[name]) {
      const person = people.get(personOf(record as never));
      if (person !== undefined) person.addAt(position, record);
    }
  });
  return people;
}
