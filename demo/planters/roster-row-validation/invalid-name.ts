import type { RowPlant } from './row-plant.ts';

/** `base` with a note in brackets, `length` characters in all. */
function longName(base: string, length: number): string {
  const filler = '户主因病致贫二零一九年纳入低保现住本镇民生路十二号之三联系电话见备注子女在外务工无固定收入';
  let text = `${base}（`;
  while (Array.from(text).length < length - 1) text += filler;
  return `${Array.from(text)
    .slice(0, length - 1)
    .join('')}）`;
}

/** INVALID_NAME: names over the 50-character limit (a note typed into the name). */
export const INVALID_NAME_PLANTS: readonly RowPlant[] = [
  {
    codes: ['INVALID_NAME'],
    what: 'name of 51 characters (a note typed into the name)',
    apply: (r) => {
      r.values.name = longName(r.entry.person.name, 51);
    },
  },
  {
    codes: ['INVALID_NAME'],
    what: 'name of 64 characters',
    apply: (r) => {
      r.values.name = longName(r.entry.person.name, 64);
    },
  },
];

/**
 * INVALID_NAME: a name a spreadsheet would run as a formula (contract 2.1). Planted by
 * `plantFormulaNames` after the checks, on a person and an account no other row has.
 */
export const FORMULA_NAME_PLANTS: readonly RowPlant[] = [
  {
    codes: ['INVALID_NAME'],
    what: 'name a spreadsheet would run as a formula (=HYPERLINK(…), quotes and a comma inside)',
    roles: ['csv'],
    apply: (r) => {
      r.values.name = '=HYPERLINK("http://x","y")';
    },
  },
];
