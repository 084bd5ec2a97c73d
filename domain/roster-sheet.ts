import { cleanValue } from '#schemas/clean-value.ts';
import { REQUIRED_ROSTER_COLUMNS, type RosterColumn } from '#schemas/roster-columns.ts';
import { type RosterHeader, resolveRosterHeader } from './roster-header.ts';
import { totalLabel } from './roster-total.ts';

/**
 * Longest stated total kept, in UTF-16 units: no amount is that long (a plain decimal of more than
 * 17 digits is too large anyway), and the outcome that carries it travels in workflow payloads.
 */
const MAX_STATED = 40;

/** The header must be one of the first 10 records (CSV) or sheet rows (XLSX) of a roster (contract 2). */
export const HEADER_WITHIN = 10;

/**
 * Where a record of a roster sits (contract 2, "Roster sheets as offices keep them"):
 * - `above-header`: a title or unit line above the header, or a record of the first
 *   {@link HEADER_WITHIN} while no header has been found yet: ignored;
 * - `header`: the first record of the first {@link HEADER_WITHIN} that names every required column;
 * - `data`: a record after the header and before the total line (possibly blank);
 * - `total`: the total line; `after-total`: signatures, dates … after it, ignored;
 * - `no-header`: a record after the first {@link HEADER_WITHIN} when none of those was the header
 *   (the file is `MISSING_COLUMNS`).
 */
export type RecordPlace = 'above-header' | 'header' | 'data' | 'total' | 'after-total' | 'no-header';

/** The header's place and columns. */
export interface FoundHeader extends RosterHeader {
  /** 0-based position of the header record (`RawRecord.row`). */
  readonly position: number;
}

/** The roster's total line, before its data rows' valid amounts are summed. */
export interface StatedTotal {
  readonly position: number;
  readonly label: string;
  /** The cleaned `amount` field, `''` when the line states none; cut to 40 characters and `…`. */
  readonly stated: string;
}

/** Options of {@link RosterSheet}. */
export interface RosterSheetOptions {
  /**
   * How the total line's amount cell reads, before it is cleaned and checked: a spreadsheet reader
   * passes the number the cell shows (a `SUM` cached as `85632.499999999985` shows `85632.5`).
   * @default the text as it is
   */
  readonly totalAmountText?: (text: string) => string;
}

/**
 * Places the records of one roster as they stream in (contract 2): finds the header among the first
 * {@link HEADER_WITHIN} records, then the data rows, and the total line that ends them. Records are
 * given in file order with their 0-based position (CSV record index, XLSX sheet row − 1); only what
 * was learnt is kept, never the records. A record's `row` (contract 2) is its position minus the
 * header's position.
 */
export class RosterSheet {
  private found: FoundHeader | undefined;
  /** Before a header is found: the record of the first ten naming the most required columns. */
  private closest: FoundHeader | undefined;
  private seenAny = false;
  private totalLine: StatedTotal | undefined;
  private readonly totalAmountText: (text: string) => string;

  constructor(options: RosterSheetOptions = {}) {
    this.totalAmountText = options.totalAmountText ?? ((text) => text);
  }

  /** Where the next record sits; a record's `dates` (XLSX date cells) are read into its `month` field. */
  place(fields: string[], position: number, dates?: readonly (string | undefined)[]): RecordPlace {
    this.seenAny = true;
    const found = this.found;
    if (found === undefined) return this.seekHeader(fields, position);
    if (this.totalLine !== undefined) return 'after-total';
    const label = totalLabel(fields);
    if (label !== undefined) {
      const at = found.indexOf.amount;
      const amount = at === undefined ? '' : (fields[at] ?? '');
      this.totalLine = { position, label, stated: shortened(cleanValue(this.totalAmountText(amount))) };
      return 'total';
    }
    if (dates !== undefined) readMonthOfDate(fields, dates, found.indexOf);
    return 'data';
  }

  /** The header, once found. */
  get header(): FoundHeader | undefined {
    return this.found;
  }

  /** The total line, once met. */
  get total(): StatedTotal | undefined {
    return this.totalLine;
  }

  /**
   * Why no header was found (call after the last record): the required columns missing from the
   * record of the first ten that came closest (the first of them on a tie) and its position;
   * `position` is absent when none of them names any required column (then every required column is
   * missing). A file without any record has no header to lack a column: nothing is missing.
   */
  get headerProblem(): { missing: readonly RosterColumn[]; position?: number } | undefined {
    if (this.found !== undefined) return undefined;
    if (!this.seenAny) return { missing: [] };
    const closest = this.closest;
    return closest === undefined
      ? { missing: REQUIRED_ROSTER_COLUMNS }
      : { missing: closest.missing, position: closest.position };
  }

  private seekHeader(fields: readonly string[], position: number): RecordPlace {
    if (position >= HEADER_WITHIN) return 'no-header';
    const header = resolveRosterHeader(fields);
    if (header.missing.length === 0) {
      this.found = { ...header, position };
      return 'header';
    }
    const names = REQUIRED_ROSTER_COLUMNS.length - header.missing.length;
    if (names > 0 && (this.closest === undefined || header.missing.length < this.closest.missing.length)) {
      this.closest = { ...header, position };
    }
    return 'above-header';
  }
}

/** A stated total cut to {@link MAX_STATED}, ending in `…` (so it stays no amount) when cut. */
function shortened(stated: string): string {
  return stated.length <= MAX_STATED ? stated : `${stated.slice(0, MAX_STATED)}…`;
}

/**
 * Contract 2: in an XLSX `month` column a date cell reads as the `YYYY-MM` of the date it shows
 * (what Excel makes of `2026-10` typed in), not as its stored serial number.
 */
function readMonthOfDate(
  fields: string[],
  dates: readonly (string | undefined)[],
  indexOf: Partial<Record<RosterColumn, number>>,
): void {
  const at = indexOf.month;
  const date = at === undefined ? undefined : dates[at];
  if (at !== undefined && date !== undefined) fields[at] = date.slice(0, 7);
}
