import { CATEGORIES, type CategoryCode } from '#schemas/categories.ts';

const MEANS_TESTED = new Set<string>(CATEGORIES.filter((c) => c.meansTested).map((c) => c.code));
const EXCLUSIVE = new Set<string>(CATEGORIES.filter((c) => c.exclusive).map((c) => c.code));
const CHINESE = new Map<string, string>(CATEGORIES.map((c) => [c.code, c.labels[0] ?? c.code]));

/** Whether a category is means-tested (contract 2.2): income and assets rule it out. */
export function isMeansTested(category: CategoryCode): boolean {
  return MEANS_TESTED.has(category);
}

/** Whether a category is in the exclusive group (contract 2.2): at most one of them per person and month. */
export function isExclusive(category: CategoryCode): boolean {
  return EXCLUSIVE.has(category);
}

/**
 * A category for a finding's detail: the Chinese label with the code in Chinese text, the code
 * in English text.
 * @example categoryNames('DIBAO') // { zh: '低保（DIBAO）', en: 'DIBAO' }
 */
export function categoryNames(category: CategoryCode): { zh: string; en: string } {
  return { zh: `${CHINESE.get(category) ?? category}（${category}）`, en: category };
}
