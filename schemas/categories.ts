/** Assistance categories of contract table 2.2. */
export const CATEGORY_CODES = [
  'DIBAO',
  'TEKUN',
  'DIBAO_EDGE',
  'HARDSHIP',
  'TEMPORARY',
  'ELDERLY',
  'CHILD',
  'DISABILITY_LIVING',
  'DISABILITY_CARE',
] as const;

export type CategoryCode = (typeof CATEGORY_CODES)[number];

export interface CategoryDefinition {
  readonly code: CategoryCode;
  /** Chinese labels, matched exactly as written. */
  readonly labels: readonly string[];
  readonly meansTested: boolean;
  /** A person may hold at most one category of the exclusive group in a month. */
  readonly exclusive: boolean;
}

export const CATEGORIES: readonly CategoryDefinition[] = [
  { code: 'DIBAO', labels: ['低保', '最低生活保障'], meansTested: true, exclusive: true },
  { code: 'TEKUN', labels: ['特困', '特困供养', '特困人员救助供养'], meansTested: true, exclusive: true },
  { code: 'DIBAO_EDGE', labels: ['低保边缘'], meansTested: true, exclusive: true },
  { code: 'HARDSHIP', labels: ['支出型困难'], meansTested: true, exclusive: true },
  { code: 'TEMPORARY', labels: ['临时救助'], meansTested: false, exclusive: false },
  { code: 'ELDERLY', labels: ['高龄津贴'], meansTested: false, exclusive: false },
  { code: 'CHILD', labels: ['困境儿童', '孤儿基本生活费'], meansTested: false, exclusive: false },
  { code: 'DISABILITY_LIVING', labels: ['困难残疾人生活补贴'], meansTested: false, exclusive: false },
  { code: 'DISABILITY_CARE', labels: ['重度残疾人护理补贴'], meansTested: false, exclusive: false },
];

const byCode = new Map<string, CategoryCode>(CATEGORIES.map((c) => [c.code.toLowerCase(), c.code]));
const byLabel = new Map<string, CategoryCode>(CATEGORIES.flatMap((c) => c.labels.map((l) => [l, c.code])));

/**
 * Resolves a roster's category value: a code (case-insensitive) or a Chinese label (exact).
 * @returns the code, or `undefined` when the value names no category.
 */
export function resolveCategory(value: string): CategoryCode | undefined {
  return byLabel.get(value) ?? byCode.get(value.toLowerCase());
}
