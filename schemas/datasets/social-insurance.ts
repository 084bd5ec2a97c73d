import { partnerFile } from '#schemas/bucket-layout.ts';
import { defineDataset } from '#schemas/dataset-descriptor.ts';
import { idNumber, month, optionalAmount, text } from '#schemas/dataset-fields.ts';

/**
 * `partners/social-insurance/*.csv`, human resources & social security's monthly contribution and
 * pension records. A row is skipped when its `month` is not `YYYY-MM`, when `contribution_base`
 * or `pension_amount` is set but not an amount, or without ID. An empty amount is `undefined`
 * (no contribution, no pension that month).
 */
export const SOCIAL_INSURANCE = defineDataset({
  name: 'social-insurance',
  source: { kind: 'folder', prefix: partnerFile.folder({ dataset: 'social-insurance' }) },
  columns: {
    id_number: { kind: idNumber, required: true },
    month: { kind: month, required: true },
    employer: { kind: text },
    contribution_base: { kind: optionalAmount, required: true },
    pension_amount: { kind: optionalAmount, required: true },
  },
  person: 'id_number',
  rangeKey: 'month',
  record:
    ({ source, id_number, month, employer, contribution_base, pension_amount }) =>
    (i) => ({
      idNumber: id_number(i),
      month: month(i),
      employer: employer(i),
      /** Undefined when the file's value is empty. */
      contributionBaseFen: contribution_base(i),
      pensionAmountFen: pension_amount(i),
      source: source(i),
    }),
  personOf: (r) => r.idNumber,
});
