import { createHash } from 'node:crypto';
import { keyFindings } from '#domain/cases/case-key.ts';
import { decideOpening } from '#domain/cases/case-memory.ts';
import { townOfFinding } from '#domain/cases/case-town.ts';
import {
  CaseFindingTally,
  isWithdrawable,
  isWithdrawn,
  reopenCase,
  withdrawCase,
  withdrawnBy,
} from '#domain/cases/case-withdrawal.ts';
import { evidenceFingerprint } from '#domain/cases/evidence-fingerprint.ts';
import { eachFinding } from '#formats/findings-arrow-reader.ts';
import { type CaseRecord, CLEARED_EARLIER, type OpenMonthCasesInput } from '#schemas/case.ts';
import type { Finding } from '#schemas/finding.ts';
import { CHECK_SEVERITIES, ROW_FINDING_CODES } from '#schemas/finding-codes.ts';
import { inBatches } from './in-batches.ts';
import { type AuditTrail, type CaseStore, clearanceKey, type ObjectStore } from './ports.ts';

/** What OpenMonthCases did, as returned to the workflow. */
export interface OpenMonthCasesResult {
  readonly month: string;
  /** Cases opened now. */
  readonly opened: number;
  /** REVIEW findings not opened: cleared earlier on the same evidence (stored closed, `CLEARED_EARLIER`). */
  readonly cleared: number;
  /** Findings whose case was already there (a re-run of the month). */
  readonly existing: number;
  /** Open finding cases of the month this run no longer finds, closed as `WITHDRAWN`. */
  readonly withdrawn: number;
  /** Cases an earlier run withdrew that this run finds again, open again. */
  readonly reopened: number;
  /** Per town, its findings beyond {@link MAX_FINDING_CASES_PER_TOWN} (not opened as cases). */
  readonly beyondCap?: Readonly<Record<string, number>>;
}

/**
 * At most this many finding cases are opened per town and month. A town office works its cases
 * one by one or in an XLSX; a file that yields more findings than this (a broken or hostile roster:
 * a million rows not in the registry) is for the town to correct and resubmit as a file, not to
 * work as a million cases, and opening them would hold the month for hours. The findings are all
 * in `findings.csv` still; the ones beyond are counted per town in the audit entry.
 */
export const MAX_FINDING_CASES_PER_TOWN = 10_000;

/**
 * The month's case findings in contract order, at most {@link MAX_FINDING_CASES_PER_TOWN} per town
 * (the first ones), read one at a time so the rest are never held; and the count left out per town.
 */
function caseFindingsOf(
  bytes: Uint8Array,
  tally: CaseFindingTally,
): { findings: Finding[]; beyondCap: Map<string, number> } {
  const perTown = new Map<string, number>();
  const beyondCap = new Map<string, number>();
  const findings: Finding[] = [];
  for (const finding of eachFinding(bytes)) {
    if (!isCaseFinding(finding)) continue;
    tally.add(finding);
    const town = townOfFinding(finding) ?? '';
    const n = (perTown.get(town) ?? 0) + 1;
    perTown.set(town, n);
    if (n > MAX_FINDING_CASES_PER_TOWN) beyondCap.set(town, (beyondCap.get(town) ?? 0) + 1);
    else findings.push(finding);
  }
  return { findings, beyondCap };
}

const ROW_CODES: ReadonlySet<string> = new Set(ROW_FINDING_CODES);

/** How many cases are withdrawn or reopened at once (conditional puts, which BatchWriteItem cannot make). */
const WRITE_WIDTH = 16;

/** Findings of contract 3.2 (row validation) and 3.3 (checks on valid rows): the ones a town works. */
export const isCaseFinding = (f: Pick<Finding, 'code'>): boolean =>
  ROW_CODES.has(f.code) || f.code in CHECK_SEVERITIES;

/** A finding's case as opened. */
function caseOf(finding: Finding, caseId: string, town: string, openedAt: string): CaseRecord {
  return {
    caseId,
    month: finding.month,
    town,
    kind: 'FINDING',
    code: finding.code,
    severity: finding.severity,
    idNumber: finding.idNumber ?? '',
    category: finding.category ?? '',
    ...(finding.batch !== '' ? { batch: finding.batch } : {}),
    ...(finding.row !== undefined ? { row: finding.row } : {}),
    detail: finding.detail,
    ...(finding.severity === 'REVIEW'
      ? { evidenceFingerprint: evidenceFingerprint(finding.code, finding.detail) }
      : {}),
    status: 'OPEN',
    money: { overpaidFen: 0, underpaidFen: 0, wronglyPaidFen: 0, recoveredFen: 0 },
    openedAt,
    version: 1,
  };
}

/**
 * Opens the month's cases (issue 11, item 3): every finding of contract 3.2 and 3.3 of
 * `findings.arrow` becomes a case of its town (`domain/cases/case-town.ts`), keyed stably
 * (`domain/cases/case-key.ts`). A REVIEW finding an officer confirmed in order in an earlier month
 * on the same evidence is stored closed as `CLEARED_EARLIER`, naming that month and officer
 * (`domain/cases/case-memory.ts`); a BLOCK finding is always opened. Idempotent: a case already
 * there is left as it is (an officer may have worked it), so a re-run opens nothing twice.
 * Recorded in the audit trail as `CASES_OPENED` with the SHA-256 of the findings read.
 *
 * The run's findings are the month's findings now (a newer run of the month: a corrected roster
 * replaced a rejected one): every open finding case of the month they no longer contain is closed
 * as `WITHDRAWN` by this run (`domain/cases/case-withdrawal.ts`, audit `CASES_WITHDRAWN`), and a
 * withdrawn case they contain again is opened again. Both are conditional saves over the version
 * read, so an officer's outcome saved first wins and the case is left to it; a case an officer
 * closed is never touched.
 */
export async function openMonthCases(
  input: OpenMonthCasesInput,
  deps: { store: ObjectStore; cases: CaseStore; audit: AuditTrail; now: () => string },
): Promise<OpenMonthCasesResult> {
  const bytes = await deps.store.readBytes(input.findingsArrowKey);
  if (bytes === undefined)
    throw new Error(`${input.findingsArrowKey} is missing; WriteMonthFindings writes it`);
  const at = deps.now();
  const before = (await deps.cases.listMonth(input.month)).filter((c) => isWithdrawable(c) || isWithdrawn(c));
  const tally = new CaseFindingTally(before.filter(isWithdrawable));
  const { findings, beyondCap } = caseFindingsOf(bytes, tally);
  const keyed = keyFindings(findings);
  const unassigned: string[] = [];
  const records: CaseRecord[] = [];
  for (const { finding, caseId } of keyed) {
    const town = townOfFinding(finding);
    if (town === undefined) unassigned.push(caseId);
    else records.push(caseOf(finding, caseId, town, at));
  }
  const clearances = await deps.cases.clearances(
    records.flatMap((r) =>
      r.evidenceFingerprint === undefined
        ? []
        : [{ code: r.code, idNumber: r.idNumber, category: r.category, fingerprint: r.evidenceFingerprint }],
    ),
  );
  const toOpen = records.map((record): CaseRecord => {
    if (record.evidenceFingerprint === undefined) return record;
    const clearance = clearances.get(clearanceKey({ ...record, fingerprint: record.evidenceFingerprint }));
    const decision = decideOpening(
      {
        month: record.month,
        code: record.code,
        severity: 'REVIEW',
        idNumber: record.idNumber,
        category: record.category,
      },
      clearance,
    );
    if (decision.open) return record;
    return {
      ...record,
      status: 'CLOSED',
      outcome: CLEARED_EARLIER,
      clearedBy: decision.clearedBy,
      note: decision.label,
      closedAt: at,
      closedBy: decision.clearedBy.officer,
    };
  });
  const stored = await deps.cases.openAll(input.month, toOpen);
  const cleared = toOpen.filter((r) => r.status === 'CLOSED' && stored.has(r.caseId)).length;
  const opened = stored.size - cleared;
  const reopened = await reopenFoundAgain(before, toOpen, deps.cases);
  const existing = toOpen.length - stored.size - reopened;
  await deps.audit.append({
    month: input.month,
    action: 'CASES_OPENED',
    actor: 'payguard:month-run',
    at,
    contentSha256: createHash('sha256').update(bytes).digest('hex'),
    subject: input.findingsArrowKey,
    details: {
      runId: input.runId,
      opened,
      cleared,
      existing,
      ...(reopened > 0 ? { reopened } : {}),
      ...(unassigned.length > 0 ? { unassigned } : {}),
      ...(beyondCap.size > 0 ? { beyondCap: Object.fromEntries(beyondCap) } : {}),
    },
  });
  const withdrawn = await withdrawNoLongerFound(before, tally.found(), input, { ...deps, at });
  return {
    month: input.month,
    opened,
    cleared,
    existing,
    withdrawn,
    reopened,
    ...(beyondCap.size > 0 ? { beyondCap: Object.fromEntries(beyondCap) } : {}),
  };
}

/** Opens again, over the version read, the withdrawn cases this run finds again; how many. */
async function reopenFoundAgain(
  before: readonly CaseRecord[],
  toOpen: readonly CaseRecord[],
  cases: CaseStore,
): Promise<number> {
  const fresh = new Map(toOpen.map((r) => [r.caseId, r]));
  const again = before.flatMap((c) => {
    const now = isWithdrawn(c) ? fresh.get(c.caseId) : undefined;
    return now === undefined ? [] : [reopenCase(c, now)];
  });
  let reopened = 0;
  await inBatches(again, WRITE_WIDTH, async (record) => {
    if ((await cases.save(record, record.version - 1)) === 'SAVED') reopened++;
  });
  return reopened;
}

/**
 * Closes as `WITHDRAWN` the month's open finding cases the run no longer finds, each over the
 * version read (an officer's save that came first wins: that case is skipped), and audits how
 * many per town (`CASES_WITHDRAWN`: counts only, no ID number).
 */
async function withdrawNoLongerFound(
  before: readonly CaseRecord[],
  found: ReadonlySet<string>,
  input: OpenMonthCasesInput,
  deps: { cases: CaseStore; audit: AuditTrail; at: string },
): Promise<number> {
  const stale = before.filter((c) => isWithdrawable(c) && !found.has(c.caseId));
  const perTown: Record<string, number> = {};
  let withdrawn = 0;
  let skipped = 0;
  await inBatches(stale, WRITE_WIDTH, async (c) => {
    if ((await deps.cases.save(withdrawCase(c, input.runId, deps.at), c.version)) === 'SAVED') {
      withdrawn++;
      perTown[c.town] = (perTown[c.town] ?? 0) + 1;
    } else skipped++;
  });
  if (withdrawn > 0 || skipped > 0) {
    await deps.audit.append({
      month: input.month,
      action: 'CASES_WITHDRAWN',
      actor: withdrawnBy(input.runId),
      at: deps.at,
      subject: input.findingsArrowKey,
      details: {
        runId: input.runId,
        count: withdrawn,
        perTown: Object.fromEntries(Object.entries(perTown).sort(([a], [b]) => (a < b ? -1 : 1))),
        ...(skipped > 0 ? { savedByOfficerFirst: skipped } : {}),
      },
    });
  }
  return withdrawn;
}
