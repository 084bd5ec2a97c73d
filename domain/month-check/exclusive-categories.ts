import { categoryNames, isExclusive } from './category-groups.ts';
import { bilingual, rowNames } from './finding-detail.ts';
import type { Person } from './person.ts';
import type { PayeeRow } from './records.ts';

/**
 * `EXCLUSIVE_CATEGORIES` (contract 3.3): the person's valid rows of the month carry two or more
 * different categories of the exclusive group (contract 2.2); every row of the person in the
 * exclusive group gets it, the person's other rows do not. Two rows of the same exclusive
 * category alone are `DUPLICATE_PAYMENT`, not this.
 *
 * The detail names each other exclusive category with its first row.
 * @returns the detail, or `undefined` when the row is outside the group or the person holds one
 *   exclusive category only.
 * @example '同一人另领互斥类别 特困（TEKUN）dq02 第 5 行 / same ID also paid exclusive category TEKUN on dq02 row 5'
 */
export function exclusiveCategories(row: PayeeRow, person: Person): string | undefined {
  if (person.rows.length === 1 || !isExclusive(row.category)) return undefined;
  const zh: string[] = [];
  const en: string[] = [];
  for (const [category, rows] of person.byCategory()) {
    const [first] = rows;
    if (category === row.category || !isExclusive(category) || first === undefined) continue;
    const names = categoryNames(category);
    const where = rowNames(first);
    zh.push(`${names.zh}${where.zh}`);
    en.push(`${names.en} on ${where.en}`);
  }
  if (zh.length === 0) return undefined;
  return bilingual(
    `同一人另领互斥类别 ${zh.join('、')}`,
    `same ID also paid exclusive category ${en.join(', ')}`,
  );
}
