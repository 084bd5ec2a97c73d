/** A category of contract table 2.2. */
export interface ContractCategory {
  readonly code: string;
  /** Chinese labels, matched exactly as written. */
  readonly labels: readonly string[];
  readonly meansTested: boolean;
  readonly exclusive: boolean;
}

/** Contract table 2.2, as the bench spells it (never the pipeline's `schemas/categories.ts`). */
export const CONTRACT_CATEGORIES: readonly ContractCategory[] = [
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

export type CategoryCode =
  | 'DIBAO'
  | 'TEKUN'
  | 'DIBAO_EDGE'
  | 'HARDSHIP'
  | 'TEMPORARY'
  | 'ELDERLY'
  | 'CHILD'
  | 'DISABILITY_LIVING'
  | 'DISABILITY_CARE';
