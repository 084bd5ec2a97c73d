import type { Finding } from '#schemas/finding.ts';
import { FINDING_CODE_ORDER } from '#schemas/finding-codes.ts';

const RANK = new Map<string, number>(FINDING_CODE_ORDER.map((code, i) => [code, i]));

/**
 * The order of `findings.csv`: by batch ascending; within a batch the file-level findings (no
 * `row`) first, then by row ascending, then by code in contract order
 * ({@link FINDING_CODE_ORDER}). Findings without a batch (`MISSING_PAYMENT`) come last, by ID
 * number, then category, then code.
 *
 * Strings compare by UTF-16 code units (not locale), so the order is the same everywhere.
 * Remaining ties break on ID number, category and detail, making the order total: sorting the
 * union of partition results gives one file whatever the partitioning.
 * @example findings.sort(compareFindings)
 */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.batch !== b.batch) {
    if (a.batch === '') return 1;
    if (b.batch === '') return -1;
    return a.batch < b.batch ? -1 : 1;
  }
  if (a.batch === '') {
    return (
      compareText(a.idNumber, b.idNumber) ||
      compareText(a.category, b.category) ||
      rank(a.code) - rank(b.code) ||
      compareText(a.detail, b.detail)
    );
  }
  if (a.row !== b.row) {
    if (a.row === undefined) return -1;
    if (b.row === undefined) return 1;
    return a.row - b.row;
  }
  return (
    rank(a.code) - rank(b.code) ||
    compareText(a.idNumber, b.idNumber) ||
    compareText(a.category, b.category) ||
    compareText(a.detail, b.detail)
  );
}

function rank(code: string): number {
  return RANK.get(code) ?? FINDING_CODE_ORDER.length;
}

/** Code-unit order; an absent value sorts first. */
function compareText(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}
