import { partnerFile } from '#schemas/bucket-layout.ts';
import { defineDataset } from '#schemas/dataset-descriptor.ts';
import { date, idNumber, text } from '#schemas/dataset-fields.ts';

/**
 * `partners/deaths/*.csv`, the police household registry's death records. A row whose
 * `date_of_death` is not a date, or without ID, is skipped.
 */
export const DEATHS = defineDataset({
  name: 'deaths',
  source: { kind: 'folder', prefix: partnerFile.folder({ dataset: 'deaths' }) },
  columns: {
    id_number: { kind: idNumber, required: true },
    name: { kind: text },
    date_of_death: { kind: date, required: true },
  },
  person: 'id_number',
  rangeKey: 'date_of_death',
  record:
    ({ source, id_number, date_of_death }) =>
    (i) => ({
      idNumber: id_number(i),
      date: date_of_death(i),
      kind: 'death' as const,
      source: source(i),
    }),
  personOf: (r) => r.idNumber,
});
