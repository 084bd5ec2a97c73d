import { rosterUpload } from '#schemas/bucket-layout.ts';
import { isMonth } from '#schemas/month.ts';

/** Where a roster upload sits in the bucket (contract section 1). */
export interface RosterKey {
  readonly month: string;
  readonly batch: string;
  readonly fileName: string;
}

const BATCH = /^[a-z0-9-]+$/;

/**
 * Parses `incoming/{month}/{batch}/{file}` (`rosterUpload` of the bucket layout).
 * @returns the parts, or a reason why the key is not a roster upload (dotfile, a batch folder
 *   name outside `[a-z0-9-]+`, a bad month, a nested folder).
 */
export function parseRosterKey(key: string): RosterKey | { ignored: string } {
  const shape = rosterUpload.shapeOf(key);
  if (shape === undefined) return { ignored: `not of the form ${rosterUpload.template}: ${key}` };
  const { month, batch, file: fileName } = shape;
  if (!isMonth(month)) return { ignored: `month folder "${month}" is not YYYY-MM` };
  if (!BATCH.test(batch)) return { ignored: `batch folder "${batch}" does not match [a-z0-9-]+` };
  if (fileName === '' || fileName.startsWith('.'))
    return { ignored: `file name "${fileName}" is hidden or empty` };
  return { month, batch, fileName };
}
