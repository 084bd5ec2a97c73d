import type { Row } from '#demo/model.ts';
import type { CategoryCode } from '#schemas/categories.ts';

/** Whether a person, given all their roster rows, suits a plant. */
export type PersonTest = (rows: readonly Row[]) => boolean;

/** The means-tested categories (contract 3.3: BUSINESS_OWNER, EMPLOYED, PENSION_INCOME apply). */
export const MEANS: readonly CategoryCode[] = ['DIBAO', 'TEKUN', 'DIBAO_EDGE', 'HARDSHIP'];
export const NON_MEANS: readonly CategoryCode[] = [
  'TEMPORARY',
  'ELDERLY',
  'CHILD',
  'DISABILITY_LIVING',
  'DISABILITY_CARE',
];

/** The person has one roster row, in one of `categories` (any category when omitted). */
export const single =
  (...categories: CategoryCode[]): PersonTest =>
  (rows) =>
    rows.length === 1 &&
    (categories.length === 0 || categories.includes(rows[0]?.entry.category as CategoryCode));

/** The person's rows are exactly these categories. */
export const exactly =
  (...categories: CategoryCode[]): PersonTest =>
  (rows) =>
    rows.length === categories.length && categories.every((c) => rows.some((r) => r.entry.category === c));

/** At least one means-tested and one other row. */
export const mixed: PersonTest = (rows) =>
  rows.some((r) => MEANS.includes(r.entry.category)) &&
  rows.some((r) => NON_MEANS.includes(r.entry.category));

/** The ID as written is the registry's (no lower-case x): a holder ID compares without doubt. */
export const plainId: PersonTest = (rows) =>
  rows.every((r) => r.values.id_number.trim() === r.entry.person.id);

/** Every test passes. */
export const both =
  (...tests: PersonTest[]): PersonTest =>
  (rows) =>
    tests.every((t) => t(rows));

/** `what`, or for a row of a category that is not means-tested, why it gets no finding. */
export const meansNote = (row: Row, what: string) =>
  MEANS.includes(row.entry.category)
    ? what
    : `${what} (this ${row.entry.category} row is not means-tested: no finding)`;
