import { partnerFile } from '#schemas/bucket-layout.ts';
import { defineDataset } from '#schemas/dataset-descriptor.ts';
import { date, idNumber, text } from '#schemas/dataset-fields.ts';

/**
 * `partners/cremations/*.csv`, the funeral homes' cremation records. A row whose
 * `cremation_date` is not a date, or without ID, is skipped.
 */
export const CREMATIONS = defineDataset({
  name: 'cremations',
  source: { kind: 'folder', prefix: partnerFile.folder({ dataset: 'cremations' }) },
  columns: {
    id_number: { kind: idNumber, required: true },
    name: { kind: text },
    cremation_date: { kind: date, required: true },
    funeral_home: { kind: text },
  },
  person: 'id_number',
  rangeKey: 'cremation_date',
  record:
    ({ source, id_number, cremation_date }) =>
    (i) => ({
      idNumber: id_number(i),
      date: cremation_date(i),
      kind: 'cremation' as const,
      source: source(i),
    }),
  personOf: (r) => r.idNumber,
});
