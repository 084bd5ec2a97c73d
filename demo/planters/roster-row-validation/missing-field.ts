import type { RowPlant } from './row-plant.ts';

/** MISSING_FIELD: required values empty or white space only (one finding naming every empty column). */
export const MISSING_FIELD_PLANTS: readonly RowPlant[] = [
  {
    codes: ['MISSING_FIELD'],
    what: 'empty name',
    apply: (r) => {
      r.values.name = '';
    },
  },
  {
    codes: ['MISSING_FIELD'],
    what: 'name of ideographic spaces only (U+3000)',
    apply: (r) => {
      r.values.name = '\u3000\u3000';
    },
  },
  {
    codes: ['MISSING_FIELD'],
    what: 'empty household_id and account_number (one finding naming both)',
    apply: (r) => {
      r.values.household_id = '';
      r.values.account_number = '';
      r.values.account_holder_id = '';
    },
  },
  {
    codes: ['MISSING_FIELD'],
    what: 'empty amount',
    apply: (r) => {
      r.values.amount = '';
    },
  },
  {
    codes: ['MISSING_FIELD'],
    what: 'empty category',
    apply: (r) => {
      r.values.category = '';
    },
  },
];
