import type { RowPlant } from './row-plant.ts';

/** UNKNOWN_CATEGORY: a superseded term, a label not as written, a category that does not exist. */
export const UNKNOWN_CATEGORY_PLANTS: readonly RowPlant[] = [
  {
    codes: ['UNKNOWN_CATEGORY'],
    what: 'category 五保 (the pre-2016 term)',
    apply: (r) => {
      r.values.category = '五保';
    },
  },
  {
    codes: ['UNKNOWN_CATEGORY'],
    what: 'category 低保户 (not a label as written)',
    apply: (r) => {
      r.values.category = '低保户';
    },
  },
  {
    codes: ['UNKNOWN_CATEGORY'],
    what: 'category MEDICAL',
    apply: (r) => {
      r.values.category = 'MEDICAL';
    },
  },
];
