import type { CaseRecord } from '#schemas/case.ts';

const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` (ISO timestamps), never negative. */
export function daysBetween(from: string, to: string): number {
  return Math.max(0, Math.floor((Date.parse(to) - Date.parse(from)) / DAY_MS));
}

/**
 * A case's age in whole days: from opening to closing, or to `now` while open.
 * @example caseAge({ openedAt: '2026-11-01T00:00:00Z', status: 'OPEN' }, '2026-11-20T08:00:00Z') // 19
 */
export function caseAge(c: Pick<CaseRecord, 'openedAt' | 'closedAt' | 'status'>, now: string): number {
  return daysBetween(c.openedAt, c.status === 'CLOSED' && c.closedAt ? c.closedAt : now);
}

/** An open case older than `overdueDays` (config `caseOverdueDays`) is overdue. */
export function isOverdue(
  c: Pick<CaseRecord, 'openedAt' | 'closedAt' | 'status'>,
  now: string,
  overdueDays: number,
): boolean {
  return c.status === 'OPEN' && caseAge(c, now) > overdueDays;
}

/**
 * A town's cases in the order an officer works them: open first, the oldest first, then the
 * closed ones, the latest closed first; ties by case id.
 */
export function compareForDesk(a: CaseRecord, b: CaseRecord): number {
  if (a.status !== b.status) return a.status === 'OPEN' ? -1 : 1;
  if (a.status === 'OPEN') {
    if (a.openedAt !== b.openedAt) return a.openedAt < b.openedAt ? -1 : 1;
  } else if ((a.closedAt ?? '') !== (b.closedAt ?? '')) {
    return (a.closedAt ?? '') > (b.closedAt ?? '') ? -1 : 1;
  }
  return a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0;
}
