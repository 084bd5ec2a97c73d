import { cleanValue } from '#schemas/clean-value.ts';
import {
  REQUIRED_ROSTER_COLUMNS,
  ROSTER_COLUMN_DEFINITIONS,
  type RosterColumn,
} from '#schemas/roster-columns.ts';

/** Where each roster column sits in the records, and which required columns are absent. */
export interface RosterHeader {
  /** 0-based field index of every column found. */
  indexOf: Partial<Record<RosterColumn, number>>;
  /** Every absent required column, in contract order (2.1). */
  missing: RosterColumn[];
}

const columnByHeaderName = new Map<string, RosterColumn>(
  ROSTER_COLUMN_DEFINITIONS.flatMap((c) =>
    [c.name, ...c.aliases].map((n) => [n.toLowerCase(), c.name] as const),
  ),
);

/**
 * Maps a roster's header record to its columns (contract 2, 2.1): each name is cleaned like a
 * value (ASCII white space, U+3000, U+00A0; a stray leading BOM too) and matched
 * case-insensitively against the English column name and its Chinese aliases. Unknown columns
 * are ignored; when a column appears twice (e.g. as `姓名` and `name`) the first one wins.
 * @example resolveRosterHeader(['身份证号', ' NAME ']).indexOf // { id_number: 0, name: 1 }
 */
export function resolveRosterHeader(header: readonly string[]): RosterHeader {
  const indexOf: Partial<Record<RosterColumn, number>> = {};
  header.forEach((raw, i) => {
    const name = cleanValue(raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw).toLowerCase();
    const column = columnByHeaderName.get(name);
    if (column !== undefined && indexOf[column] === undefined) indexOf[column] = i;
  });
  const missing = REQUIRED_ROSTER_COLUMNS.filter((c) => indexOf[c] === undefined);
  return { indexOf, missing };
}
