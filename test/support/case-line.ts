import { CASE_LINE_FIELDS, type CaseLine, type CaseRecord } from '#schemas/case.ts';

/** A case as the case table's projection gives it: {@link CASE_LINE_FIELDS} only, absent ones left out. */
export function caseLineOf(record: CaseRecord): CaseLine {
  return Object.fromEntries(
    CASE_LINE_FIELDS.flatMap((field) => (record[field] === undefined ? [] : [[field, record[field]]])),
  ) as CaseLine;
}
