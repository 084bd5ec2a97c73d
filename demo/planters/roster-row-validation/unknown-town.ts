import type { RowPlant } from './row-plant.ts';

/** UNKNOWN_TOWN: a district name, the city, a short name — none of them in `towns.csv`. */
export const UNKNOWN_TOWN_PLANTS: readonly RowPlant[] = [
  {
    codes: ['UNKNOWN_TOWN'],
    what: 'town 石岐区 (not the name in towns.csv)',
    apply: (r) => {
      r.values.town = '石岐区';
    },
  },
  {
    codes: ['UNKNOWN_TOWN'],
    what: 'town zhongshan (the city, not a town)',
    apply: (r) => {
      r.values.town = 'zhongshan';
    },
  },
  {
    codes: ['UNKNOWN_TOWN'],
    what: 'town 小榄 (short name)',
    apply: (r) => {
      r.values.town = '小榄';
    },
  },
];
