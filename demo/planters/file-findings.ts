/**
 * The file-level findings of contract 3.1 (`domain/file-findings.ts`) planted in the month: one
 * town's roster lacks a required column (MISSING_COLUMNS), another town's is junk bytes named
 * `.csv` (UNREADABLE_FILE). Which towns is in `file-profiles.ts` (the roles `missingColumns` and
 * `junk`); what their uploads are noted as, in `roster-uploads.ts`. `EMPTY_FILE` and
 * `TOTAL_MISMATCH` are not planted: the two rosters with a 合计 line state their total right
 * (`roster-sheet-lines.ts`), so that every town but these two is paid.
 */
import type { Column } from '#demo/model.ts';
import type { Rng } from '#demo/people.ts';

/** The required column the `missingColumns` town's roster lacks (MISSING_COLUMNS). */
export const MISSING_COLUMN: Column = 'account_number';

/** Random bytes behind a UTF-32 LE byte order mark, NULs and 0xFF scattered through them (UNREADABLE_FILE). */
export function junkBytes(rng: Rng): Uint8Array {
  const bytes = new Uint8Array(6144);
  for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(0, 255);
  for (let i = 0; i < bytes.length; i += rng.int(20, 60)) bytes[i] = rng.chance(0.5) ? 0x00 : 0xff;
  bytes.set([0xff, 0xfe, 0x00, 0x00], 0);
  return bytes;
}
