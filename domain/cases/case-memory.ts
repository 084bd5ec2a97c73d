import type { Clearance } from '#schemas/case.ts';
import type { Finding } from '#schemas/finding.ts';

/** What becomes of a finding when the month's cases are opened. */
export type OpeningDecision =
  | { readonly open: true }
  | { readonly open: false; readonly clearedBy: Clearance; readonly label: string };

/**
 * The memory across months (issue 11, item 4). A REVIEW finding is not opened again when an
 * officer confirmed the same (code, id_number, category) in order in an earlier month on the same
 * evidence (`clearance`, looked up by the finding's evidence fingerprint): it is shown as "cleared
 * in {month} by {officer}". New evidence has another fingerprint and finds no clearance, so it
 * opens a case. A BLOCK finding is always opened: it holds money, and a town must act on it.
 * A clearance of the same month or a later one does not count (a re-run of the month that was
 * cleared must not hide its own cases).
 * @param clearance the latest clearance of the finding's (code, id_number, category) with the
 *   finding's evidence fingerprint, if any.
 */
export function decideOpening(
  finding: Pick<Finding, 'month' | 'severity' | 'idNumber' | 'category'> & { readonly code: string },
  clearance: Clearance | undefined,
): OpeningDecision {
  if (finding.severity !== 'REVIEW' || clearance === undefined) return { open: true };
  if (
    clearance.code !== finding.code ||
    clearance.idNumber !== (finding.idNumber ?? '') ||
    clearance.category !== (finding.category ?? '') ||
    clearance.month >= finding.month
  ) {
    return { open: true };
  }
  return { open: false, clearedBy: clearance, label: clearedLabel(clearance) };
}

/** "cleared in {month} by {officer}", Chinese first. */
export function clearedLabel(clearance: Pick<Clearance, 'month' | 'officer'>): string {
  return `${clearance.month} 已由 ${clearance.officer} 核实无误 / cleared in ${clearance.month} by ${clearance.officer}`;
}
