import { bilingual, cite } from './finding-detail.ts';
import type { Person } from './person.ts';
import type { StaffRelativeRecord } from './records.ts';

/**
 * `UNFILED_STAFF_RELATIVE` (contract 3.3, REVIEW): the person is a staff relative whose `filed`
 * is not `Y`; with several register rows, any unfiled row makes them unfiled (contract 2.3).
 * The detail cites the first unfiled row and how many there are.
 * @returns the detail, or `undefined` when the person is not in the register or every row is filed.
 * @example '工作人员 S001 王五 的配偶，未备案（registers/staff-relatives.csv） / relative (配偶) of staff S001 王五, not filed (registers/staff-relatives.csv)'
 */
export function unfiledStaffRelative(person: Person): string | undefined {
  const records = person.records('staff-relatives');
  if (records === undefined) return undefined;
  let first: StaffRelativeRecord | undefined;
  let unfiled = 0;
  for (const record of records) {
    if (record.filed) continue;
    first ??= record;
    unfiled++;
  }
  if (first === undefined) return undefined;
  const staff = `${first.staffId} ${first.staffName}`.trim();
  const source = cite(first.source);
  const zhMore = unfiled > 1 ? `，共 ${unfiled} 条未备案` : '';
  const enMore = unfiled > 1 ? `, ${unfiled} unfiled rows` : '';
  return bilingual(
    `工作人员 ${staff} 的${first.relation || '亲属'}，未备案${zhMore}${source.zh}`,
    `relative${first.relation ? ` (${first.relation})` : ''} of staff ${staff}, not filed${enMore}${source.en}`,
  );
}
