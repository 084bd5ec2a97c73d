import { bilingual, rowNames } from './finding-detail.ts';
import type { Person } from './person.ts';
import type { PayeeRow } from './records.ts';

/** Other rows named in a detail at most. */
const LISTED_ROWS = 5;

/**
 * `DUPLICATE_PAYMENT` (contract 3.3): the row's (`id_number`, `category`) is on more than one
 * valid row of the month, in any batches; every such row gets it. The detail names the other
 * rows in input order, at most 5, then how many rows there are in all.
 * @returns the detail, or `undefined` when the row is the only one.
 * @example '同一人同一类别另见 dq02 第 4 行 / same ID and category also on dq02 row 4'
 */
export function duplicatePayment(row: PayeeRow, person: Person): string | undefined {
  if (person.rows.length === 1) return undefined;
  const group = person.rowsIn(row.category);
  if (group.length < 2) return undefined;
  const zh: string[] = [];
  const en: string[] = [];
  for (const other of group) {
    if (other === row) continue;
    const names = rowNames(other);
    zh.push(names.zh);
    en.push(names.en);
    if (zh.length === LISTED_ROWS) break;
  }
  const more = group.length - 1 > zh.length;
  return bilingual(
    `同一人同一类别另见 ${zh.join('、')}${more ? ` 等，共 ${group.length} 行` : ''}`,
    `same ID and category also on ${en.join(', ')}${more ? ` (${group.length} rows in all)` : ''}`,
  );
}
