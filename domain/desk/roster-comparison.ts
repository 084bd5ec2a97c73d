import { maskIdNumber } from '#domain/id-number.ts';

/** The parts of a roster row the month-to-month comparison looks at. */
export interface ComparedRow {
  readonly idNumber: string;
  readonly category: string;
  readonly name: string;
  readonly amountFen: number;
  readonly accountNumber: string;
}

/** A person (by `id_number` and category) whose amount or account changed; IDs masked. */
export interface ChangedPayee {
  readonly maskedId: string;
  readonly category: string;
  readonly name: string;
  readonly amountBeforeFen: number;
  readonly amountNowFen: number;
  readonly accountChanged: boolean;
}

/** A person who is new this month or left since the month before; IDs masked. */
export interface ListedPayee {
  readonly maskedId: string;
  readonly category: string;
  readonly name: string;
  readonly amountFen: number;
}

/** What changed between a town's roster of the month before and of this month. */
export interface RosterComparison {
  readonly added: readonly ListedPayee[];
  readonly removed: readonly ListedPayee[];
  readonly changed: readonly ChangedPayee[];
  /** Rows present in both months with the same amount and account. */
  readonly unchanged: number;
}

const keyOf = (row: ComparedRow) => `${row.idNumber}|${row.category}`;

/**
 * A row per person and category: a roster repeating one (a DUPLICATE_ROW finding of its own) is
 * compared by its summed amount and its last account, so the comparison never double-counts.
 */
function byPerson(rows: readonly ComparedRow[]): Map<string, ComparedRow> {
  const map = new Map<string, ComparedRow>();
  for (const row of rows) {
    const seen = map.get(keyOf(row));
    map.set(keyOf(row), seen ? { ...row, amountFen: seen.amountFen + row.amountFen } : row);
  }
  return map;
}

const listed = (row: ComparedRow): ListedPayee => ({
  maskedId: maskIdNumber(row.idNumber),
  category: row.category,
  name: row.name,
  amountFen: row.amountFen,
});

const byMaskedId = <T extends { maskedId: string; category: string }>(a: T, b: T) =>
  a.maskedId < b.maskedId ? -1 : a.maskedId > b.maskedId ? 1 : a.category < b.category ? -1 : 1;

/**
 * Compares a town's valid rows of the month before with this month's, person by person
 * (`id_number` and category): who is new, who left, whose amount or account changed. IDs are
 * masked in the result (it is shown on the town desk); the lists are in masked-ID order.
 */
export function compareRosters(
  before: readonly ComparedRow[],
  now: readonly ComparedRow[],
): RosterComparison {
  const previous = byPerson(before);
  const current = byPerson(now);
  const added: ListedPayee[] = [];
  const changed: ChangedPayee[] = [];
  let unchanged = 0;
  for (const [key, row] of current) {
    const old = previous.get(key);
    if (old === undefined) {
      added.push(listed(row));
      continue;
    }
    const accountChanged = old.accountNumber !== row.accountNumber;
    if (old.amountFen === row.amountFen && !accountChanged) {
      unchanged++;
      continue;
    }
    changed.push({
      maskedId: maskIdNumber(row.idNumber),
      category: row.category,
      name: row.name,
      amountBeforeFen: old.amountFen,
      amountNowFen: row.amountFen,
      accountChanged,
    });
  }
  const removed = [...previous].filter(([key]) => !current.has(key)).map(([, row]) => listed(row));
  return {
    added: added.sort(byMaskedId),
    removed: removed.sort(byMaskedId),
    changed: changed.sort(byMaskedId),
    unchanged,
  };
}
