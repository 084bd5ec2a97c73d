import type { AuditEntry } from './ports.ts';
import type { CaseDecision } from './town-cases.ts';

/** A decision of a bulk import as the trail records it: the sheet row and when it was saved too. */
export interface ImportedCaseDecision extends CaseDecision {
  readonly row: number;
  readonly at: string;
}

/** At most this many decisions in one audit entry. */
export const DECISIONS_PER_ENTRY = 500;

/**
 * At most this many bytes of decisions (as JSON) in one audit entry: a DynamoDB item holds
 * 400 KB, names of attributes included; a decision with a 500-character Chinese note is ~1.8 KB,
 * so 500 of them would not fit, and the entry closes early instead.
 */
export const DECISION_BYTES_PER_ENTRY = 300_000;

/**
 * The audit entries of an import's applied decisions (`CASE_OUTCOMES_APPLIED`), in the order
 * given (sheet row order), each with at most {@link DECISIONS_PER_ENTRY} decisions and
 * {@link DECISION_BYTES_PER_ENTRY} bytes, numbered `part` of `parts`. Each decision carries what
 * the page's single save records (`CASE_OUTCOME_RECORDED`: town, kind, code, masked ID, the
 * outcome with its note and money, the new version) plus its case id, sheet row and time.
 */
export function caseDecisionEntries(
  base: { month: string; actor: string; at: string; subject: string; contentSha256: string; town: string },
  decisions: readonly ImportedCaseDecision[],
): AuditEntry[] {
  const groups: ImportedCaseDecision[][] = [];
  let group: ImportedCaseDecision[] = [];
  let bytes = 0;
  for (const decision of decisions) {
    const size = Buffer.byteLength(JSON.stringify(decision), 'utf8');
    if (
      group.length > 0 &&
      (group.length === DECISIONS_PER_ENTRY || bytes + size > DECISION_BYTES_PER_ENTRY)
    ) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(decision);
    bytes += size;
  }
  if (group.length > 0) groups.push(group);
  return groups.map((g, i) => ({
    month: base.month,
    action: 'CASE_OUTCOMES_APPLIED',
    actor: base.actor,
    at: base.at,
    contentSha256: base.contentSha256,
    subject: base.subject,
    details: { town: base.town, part: i + 1, parts: groups.length, decisions: g },
  }));
}
