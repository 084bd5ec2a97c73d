import type { CheckContext } from './check-context.ts';
import { bilingual, cite } from './finding-detail.ts';
import type { Person } from './person.ts';
import type { DeathRecord } from './records.ts';

/** A death finding: before the month, or inside it. */
export interface DeathFinding {
  readonly code: 'DECEASED' | 'DIED_IN_MONTH';
  readonly detail: string;
}

const KIND_NAMES = {
  death: { zh: '死亡登记', en: 'death record' },
  cremation: { zh: '火化记录', en: 'cremation record' },
} as const;

/**
 * `DECEASED` and `DIED_IN_MONTH` (contract 3.3), one rule split by date: the earliest date of
 * the person's death and cremation records together counts. Before the first day of the month
 * it is `DECEASED` (BLOCK: nothing is owed for a month the person did not live to start); inside
 * the month it is `DIED_IN_MONTH` (REVIEW: the month may be owed); after the month, nothing.
 * Dates are `YYYY-MM-DD`, so they compare as strings; a record whose date is not 10 characters
 * (the loader skips unparseable ones) is ignored rather than taken as early.
 *
 * The detail cites the earliest record of each source present, earliest first.
 * @returns the finding, or `undefined` when no record dates the death on or before the month's end.
 * @example { code: 'DECEASED', detail: '死亡登记 2026-09-14（partners/deaths/2026-10.csv） / death record 2026-09-14 (partners/deaths/2026-10.csv)' }
 */
export function deathFinding(person: Person, ctx: CheckContext): DeathFinding | undefined {
  const death = earliest(person.records('deaths'));
  const cremation = earliest(person.records('cremations'));
  const evidence: DeathRecord[] = [];
  if (death !== undefined) evidence.push(death);
  if (cremation !== undefined) {
    if (death !== undefined && cremation.date < death.date) evidence.unshift(cremation);
    else evidence.push(cremation);
  }
  const [first] = evidence;
  if (first === undefined || first.date > ctx.lastDay) return undefined;
  const cited = evidence.map((record) => {
    const names = KIND_NAMES[record.kind];
    const source = cite(record.source);
    return { zh: `${names.zh} ${record.date}${source.zh}`, en: `${names.en} ${record.date}${source.en}` };
  });
  return {
    code: first.date < ctx.firstDay ? 'DECEASED' : 'DIED_IN_MONTH',
    detail: bilingual(cited.map((c) => c.zh).join('；'), cited.map((c) => c.en).join('; ')),
  };
}

/** The first record of the earliest date, skipping dates that are not 10 characters. */
function earliest(records: readonly DeathRecord[] | undefined): DeathRecord | undefined {
  let found: DeathRecord | undefined;
  for (const record of records ?? []) {
    if (record.date.length !== 10) continue;
    if (found === undefined || record.date < found.date) found = record;
  }
  return found;
}
