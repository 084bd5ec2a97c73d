import { addMonths } from '#demo/people.ts';
import type { RowPlant } from './row-plant.ts';

/** WRONG_MONTH: the previous and the next month, and the month written `YYYY/MM`. */
export const WRONG_MONTH_PLANTS: readonly RowPlant[] = [
  {
    codes: ['WRONG_MONTH'],
    what: 'month of the previous month',
    apply: (r, m) => {
      r.values.month = addMonths(m, -1);
    },
  },
  {
    codes: ['WRONG_MONTH'],
    what: 'month written YYYY/MM',
    apply: (r, m) => {
      r.values.month = m.replace('-', '/');
    },
  },
  {
    codes: ['WRONG_MONTH'],
    what: 'month of the next month',
    apply: (r, m) => {
      r.values.month = addMonths(m, 1);
    },
  },
];
