import type { RowPlant } from './row-plant.ts';

/** INVALID_AMOUNT: thousands separators, negative, three decimals, zero, over the limit, an exponent. */
export const INVALID_AMOUNT_PLANTS: readonly RowPlant[] = [
  {
    codes: ['INVALID_AMOUNT'],
    what: 'amount 1,200.00 (thousands separator)',
    apply: (r) => {
      r.values.amount = '1,200.00';
    },
  },
  {
    codes: ['INVALID_AMOUNT'],
    what: 'amount -5',
    apply: (r) => {
      r.values.amount = '-5';
    },
  },
  {
    codes: ['INVALID_AMOUNT'],
    what: 'amount 0.001 (three decimals)',
    apply: (r) => {
      r.values.amount = '0.001';
    },
  },
  {
    codes: ['INVALID_AMOUNT'],
    what: 'amount 0.00 (not > 0)',
    apply: (r) => {
      r.values.amount = '0.00';
    },
  },
  {
    codes: ['INVALID_AMOUNT'],
    what: 'amount 100000.01 (over the limit)',
    apply: (r) => {
      r.values.amount = '100000.01';
    },
  },
  {
    codes: ['INVALID_AMOUNT'],
    what: 'amount 1.18e3 (exponent)',
    apply: (r) => {
      r.values.amount = '1.18e3';
    },
  },
];
