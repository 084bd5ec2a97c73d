import { createHash } from 'node:crypto';
import type { CaseRecord } from '#schemas/case.ts';
import type { Finding } from '#schemas/finding.ts';

/**
 * The case id of a finding or a visit: stable across re-runs of the month (the same findings give
 * the same ids), free of ID numbers (it is written into links and forms), short enough to read
 * out on the phone. `F-` or `V-` and the first 16 hex digits of the SHA-256 of the key's parts.
 */
function caseIdOf(prefix: 'F' | 'V', parts: readonly string[]): string {
  return `${prefix}-${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16)}`;
}

/**
 * The kind part of a case id: `F-` of a finding's, `V-` of a visit's ({@link caseIdOf}); '' for an
 * id without one. A store keeping cases sorted by id keeps each kind's together under it.
 */
export const caseIdKind = (caseId: string): string => caseId.slice(0, caseId.indexOf('-') + 1);

/** A finding with the case id it is followed under. */
export interface KeyedFinding {
  readonly finding: Finding;
  readonly caseId: string;
}

/**
 * The case id of every finding, keyed by (month, code, id_number, category). Findings that share
 * that key — the rows of one `DUPLICATE_PAYMENT`, rows with an empty or unreadable ID — are told
 * apart by their order (batch, then row): the first keeps the plain key, the next ones get `#2`,
 * `#3` …, so each finding of `findings.csv` is one case and a re-run gives the same ids.
 * @param findings the findings to follow, in contract order (`compareFindings`).
 */
export function keyFindings(findings: readonly Finding[]): KeyedFinding[] {
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const base = findingKey(finding);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { finding, caseId: findingCaseId(base, n) };
  });
}

/**
 * A finding's (month, code, id_number, category), as one string: the key its case is followed
 * under (the `n`-th finding of a key is case {@link findingCaseId}`(key, n)`).
 */
export function findingKey(
  f:
    | Pick<Finding, 'month' | 'code' | 'idNumber' | 'category'>
    | Pick<CaseRecord, 'month' | 'code' | 'idNumber' | 'category'>,
): string {
  return JSON.stringify([f.month, f.code, f.idNumber ?? '', f.category ?? '']);
}

/** The case id of the `n`-th finding (1, 2 …, in contract order) of a {@link findingKey}. */
export function findingCaseId(key: string, n: number): string {
  const parts = JSON.parse(key) as string[];
  return caseIdOf('F', n === 1 ? parts : [...parts, `#${n}`]);
}

/**
 * The case id of a household's home visit of the month: (month, town, household_id). A household
 * paid in two towns is visited by each (the town is the sample's stratum).
 */
export function visitCaseId(month: string, town: string, householdId: string): string {
  return caseIdOf('V', [month, town, householdId]);
}
