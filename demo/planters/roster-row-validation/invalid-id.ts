import type { IdSet, Row } from '#demo/model.ts';
import { addMonths, isValidId, makeId, type Rng, wrongCheckChar } from '#demo/people.ts';
import { numberCellText } from '#demo/roster-xlsx.ts';
import type { RowPlant } from './row-plant.ts';

/** The row's ID with a wrong check character (a typing error in the last position). */
export function badCheck(row: Row, rng: Rng): string {
  const first17 = row.entry.person.id.slice(0, 17);
  return first17 + wrongCheckChar(first17, rng);
}

/** INVALID_ID: IDs with a wrong check character, an impossible or future birth date, 15 digits, a full-width digit. */
export const INVALID_ID_PLANTS: readonly RowPlant[] = [
  {
    codes: ['INVALID_ID'],
    what: 'ID with a wrong check character',
    apply: (r, _m, rng) => {
      r.values.id_number = badCheck(r, rng);
    },
  },
  {
    codes: ['INVALID_ID'],
    what: 'ID with an impossible birth date (30 February), check character correct',
    apply: (r) => {
      const id = r.entry.person.id;
      r.values.id_number = makeId(id.slice(0, 6), `${id.slice(6, 10)}0230`, Number(id.slice(14, 17)));
    },
  },
  {
    codes: ['INVALID_ID'],
    what: 'old 15-digit ID',
    apply: (r) => {
      const id = r.entry.person.id;
      r.values.id_number = id.slice(0, 6) + id.slice(8, 17);
    },
  },
  {
    codes: ['INVALID_ID'],
    what: 'ID born after the payment month (check character correct)',
    apply: (r, month) => {
      const next = addMonths(month, 1).replace('-', '');
      r.values.id_number = makeId(
        r.entry.person.id.slice(0, 6),
        `${next}01`,
        Number(r.entry.person.id.slice(14, 17)),
      );
    },
  },
  {
    codes: ['INVALID_ID'],
    what: 'ID with a full-width digit (typed with a Chinese input method)',
    apply: (r) => {
      const id = r.entry.person.id;
      r.values.id_number = `${id.slice(0, 10)}${String.fromCharCode(0xff10 + Number(id.charAt(10)))}${id.slice(11)}`;
    },
  },
];

/** Whether the ID of `r`, stored as a number cell, reads as no valid ID, or the row would not be INVALID_ID. */
function storedAsInvalidId(r: Row, ids: IdSet): boolean {
  const id = r.entry.person.id;
  if (id.endsWith('X')) return false;
  const text = numberCellText(id, r.idCell === undefined ? 'lossy-plain' : r.idCell);
  return text !== id && !isValidId(text) && !ids.has(text);
}

/**
 * INVALID_ID in the XLSX roster: the ID as a NUMBER cell, as Excel stores an 18-digit number typed
 * without the text format — its digits lost to a double, or in exponent form. Only a row whose
 * stored text is not a valid (or another payee's) ID suits.
 */
export const NUMBER_CELL_ID_PLANTS: readonly RowPlant[] = [
  {
    codes: ['INVALID_ID'],
    what: 'ID as a NUMBER cell that lost precision (written as the double’s digits)',
    roles: ['xlsx'],
    suits: storedAsInvalidId,
    apply: (r) => {
      r.idCell = 'lossy-plain';
    },
  },
  {
    codes: ['INVALID_ID'],
    what: 'ID as a NUMBER cell in exponent form (as Excel stores a typed 18-digit number)',
    roles: ['xlsx'],
    suits: storedAsInvalidId,
    apply: (r) => {
      r.idCell = 'lossy-exponent';
    },
  },
];
