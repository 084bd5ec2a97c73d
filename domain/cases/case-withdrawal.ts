import { type CaseRecord, WITHDRAWN } from '#schemas/case.ts';
import { findingCaseId, findingKey } from './case-key.ts';

/**
 * Which of a month's open finding cases the month's newer check still finds (issue 11: a newer
 * run of a month withdraws the cases its findings no longer contain). Fed every case finding of
 * the run one at a time, it keeps only a count per key of the cases it watches, so a month of a
 * million findings costs no more memory than the cases themselves.
 */
export class CaseFindingTally {
  /** Per watched key, how many of the run's findings carry it. */
  private readonly counts = new Map<string, number>();

  /** @param watched the cases whose findings are looked for (the month's open ones, the withdrawn ones). */
  constructor(private readonly watched: readonly CaseRecord[]) {
    for (const c of watched) if (c.kind === 'FINDING') this.counts.set(findingKey(c), 0);
  }

  /** Counts one finding of the run (any town, within its cap or beyond it). */
  add(finding: Parameters<typeof findingKey>[0]): void {
    const key = findingKey(finding);
    const n = this.counts.get(key);
    if (n !== undefined) this.counts.set(key, n + 1);
  }

  /**
   * The ids of the watched cases the run still finds. Of `k` findings of one key the run keeps
   * the cases `key`, `key#2` … `key#k`; counting every finding (those beyond a town's cap too)
   * can only find more cases than were opened, never fewer, so no case is withdrawn whose finding
   * is still there.
   */
  found(): Set<string> {
    const ids = new Set<string>();
    const wanted = new Set(this.watched.map((c) => c.caseId));
    for (const [key, n] of this.counts) {
      for (let i = 1; i <= n; i++) {
        const id = findingCaseId(key, i);
        if (wanted.has(id)) ids.add(id);
      }
    }
    return ids;
  }
}

/** A case the system may withdraw: a finding case still open (one an officer closed never is). */
export const isWithdrawable = (c: Pick<CaseRecord, 'kind' | 'status'>): boolean =>
  c.kind === 'FINDING' && c.status === 'OPEN';

/** A case closed as withdrawn: the only kind a newer run opens again when it finds it again. */
export const isWithdrawn = (c: Pick<CaseRecord, 'status' | 'outcome'>): boolean =>
  c.status === 'CLOSED' && c.outcome === WITHDRAWN;

/** Who closes a withdrawn case: the month run whose check no longer found it. */
export const withdrawnBy = (runId: string): string => `month-run:${runId}`;

/**
 * An open finding case closed as {@link WITHDRAWN} by month run `runId` at `at`; its version is
 * raised by one (the store saves it only over the version read, so an officer's save that came
 * first wins).
 */
export function withdrawCase(c: CaseRecord, runId: string, at: string): CaseRecord {
  if (!isWithdrawable(c)) throw new Error(`case ${c.caseId} is not an open finding case`);
  return {
    ...c,
    status: 'CLOSED',
    outcome: WITHDRAWN,
    closedAt: at,
    closedBy: withdrawnBy(runId),
    version: c.version + 1,
  };
}

/**
 * A withdrawn case found again by a newer run: the case as that run opens it (`fresh`: open, or
 * closed as cleared earlier), over the withdrawn one's version.
 */
export function reopenCase(withdrawn: CaseRecord, fresh: CaseRecord): CaseRecord {
  if (!isWithdrawn(withdrawn)) throw new Error(`case ${withdrawn.caseId} is not withdrawn`);
  return { ...fresh, version: withdrawn.version + 1 };
}
