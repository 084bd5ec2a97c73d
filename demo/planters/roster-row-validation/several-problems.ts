import { addMonths } from '#demo/people.ts';
import { badCheck } from './invalid-id.ts';
import type { RowPlant } from './row-plant.ts';

/** A row with five problems at once: each is a finding of its own on the one row. */
export const SEVERAL_PROBLEMS_PLANT: RowPlant = {
  codes: ['INVALID_ID', 'MISSING_FIELD', 'INVALID_AMOUNT', 'UNKNOWN_TOWN', 'WRONG_MONTH'],
  what: 'several problems: wrong check character, empty account, amount -5, town zhongshan, previous month',
  apply: (r, m, rng) => {
    r.values.id_number = badCheck(r, rng);
    r.values.account_number = '';
    r.values.amount = '-5';
    r.values.town = 'zhongshan';
    r.values.month = addMonths(m, -1);
  },
};
