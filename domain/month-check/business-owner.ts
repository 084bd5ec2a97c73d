import { isMeansTested } from './category-groups.ts';
import { bilingual, cite } from './finding-detail.ts';
import type { Person } from './person.ts';
import type { BusinessRecord, PayeeRow } from './records.ts';

/**
 * `BUSINESS_OWNER` (contract 3.3, REVIEW): a means-tested category and an `ACTIVE` business
 * record for the person (any role); `CANCELLED` and `REVOKED` ones do not count. The status
 * matches case-insensitively, as codes do (contract 2). The detail cites the first active record
 * and how many there are.
 * @returns the detail, or `undefined` when the category is not means-tested or no business is active.
 * @example '在营企业 某某商行（统一社会信用代码 91442000MA51234567，法定代表人）（partners/business/2026.csv） / active business 某某商行 (credit code 91442000MA51234567, role 法定代表人) (partners/business/2026.csv)'
 */
export function businessOwner(row: PayeeRow, person: Person): string | undefined {
  const records = person.records('business');
  if (records === undefined || !isMeansTested(row.category)) return undefined;
  let first: BusinessRecord | undefined;
  let active = 0;
  for (const record of records) {
    if (record.status !== 'ACTIVE' && record.status.toUpperCase() !== 'ACTIVE') continue;
    first ??= record;
    active++;
  }
  if (first === undefined) return undefined;
  const zhFacts = [first.creditCode && `统一社会信用代码 ${first.creditCode}`, first.role].filter(Boolean);
  const enFacts = [
    first.creditCode && `credit code ${first.creditCode}`,
    first.role && `role ${first.role}`,
  ].filter(Boolean);
  const source = cite(first.source);
  return bilingual(
    `在营企业 ${first.companyName}${zhFacts.length > 0 ? `（${zhFacts.join('，')}）` : ''}${source.zh}${active > 1 ? `，共 ${active} 家` : ''}`,
    `active business ${first.companyName}${enFacts.length > 0 ? ` (${enFacts.join(', ')})` : ''}${source.en}${active > 1 ? `, ${active} in all` : ''}`,
  );
}
