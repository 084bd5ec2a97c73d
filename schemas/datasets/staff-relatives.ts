import { registerFile } from '#schemas/bucket-layout.ts';
import { defineDataset } from '#schemas/dataset-descriptor.ts';
import { flag, idNumber, text } from '#schemas/dataset-fields.ts';

/**
 * `registers/staff-relatives.csv`: known close relatives of case workers who receive aid. A row
 * without `relative_id_number` is skipped. `filed` of `Y` or `y` is filed, anything else is not
 * (contract 2.3). `filed_date` is evidence only (the rules read `filed`), kept as written.
 */
export const STAFF_RELATIVES = defineDataset({
  name: 'staff-relatives',
  source: { kind: 'file', key: registerFile.key({ register: 'staff-relatives' }) },
  columns: {
    staff_id: { kind: text },
    staff_name: { kind: text },
    relative_id_number: { kind: idNumber, required: true },
    relation: { kind: text },
    filed: { kind: flag, required: true },
    filed_date: { kind: text },
  },
  person: 'relative_id_number',
  record:
    ({ source, staff_id, staff_name, relative_id_number, relation, filed }) =>
    (i) => ({
      staffId: staff_id(i),
      staffName: staff_name(i),
      relativeIdNumber: relative_id_number(i),
      relation: relation(i),
      filed: filed(i),
      source: source(i),
    }),
  personOf: (r) => r.relativeIdNumber,
});
