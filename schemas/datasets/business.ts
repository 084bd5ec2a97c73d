import { partnerFile } from '#schemas/bucket-layout.ts';
import { defineDataset } from '#schemas/dataset-descriptor.ts';
import { idNumber, text, upperText } from '#schemas/dataset-fields.ts';

/**
 * `partners/business/*.csv`, market regulation's business registrations (owners, legal
 * representatives). `status` is upper-cased; a value other than `ACTIVE`, `CANCELLED`, `REVOKED`
 * is kept as written (it is simply not `ACTIVE`). A row without ID is skipped.
 */
export const BUSINESS = defineDataset({
  name: 'business',
  source: { kind: 'folder', prefix: partnerFile.folder({ dataset: 'business' }) },
  columns: {
    id_number: { kind: idNumber, required: true },
    company_name: { kind: text },
    credit_code: { kind: text },
    role: { kind: text },
    status: { kind: upperText, required: true },
  },
  person: 'id_number',
  record:
    ({ source, id_number, company_name, credit_code, role, status }) =>
    (i) => ({
      idNumber: id_number(i),
      companyName: company_name(i),
      creditCode: credit_code(i),
      role: role(i),
      /** `ACTIVE`, `CANCELLED`, `REVOKED`, or another value as written. */
      status: status(i),
      source: source(i),
    }),
  personOf: (r) => r.idNumber,
});
