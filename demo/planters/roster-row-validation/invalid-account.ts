import type { RowPlant } from './row-plant.ts';

/** INVALID_ACCOUNT: too short, spaces between digit groups, too long, the letter O for a zero. */
export const INVALID_ACCOUNT_PLANTS: readonly RowPlant[] = [
  {
    codes: ['INVALID_ACCOUNT'],
    what: 'account of 9 digits',
    apply: (r) => {
      r.values.account_number = r.entry.person.account.slice(0, 9);
    },
  },
  {
    codes: ['INVALID_ACCOUNT'],
    what: 'account with spaces between digit groups',
    apply: (r) => {
      r.values.account_number = r.entry.person.account.replace(/(\d{4})(?=\d)/g, '$1 ');
    },
  },
  {
    codes: ['INVALID_ACCOUNT'],
    what: 'account of 26 digits',
    apply: (r) => {
      r.values.account_number = `${r.entry.person.account}0000000`;
    },
  },
  {
    codes: ['INVALID_ACCOUNT'],
    what: 'account with the letter O for a zero',
    apply: (r) => {
      const account = r.entry.person.account;
      r.values.account_number = `${account.slice(0, 6)}O${account.slice(7)}`;
    },
  },
];
