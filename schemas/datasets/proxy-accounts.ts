import { registerFile } from '#schemas/bucket-layout.ts';
import { defineDataset } from '#schemas/dataset-descriptor.ts';
import { idNumber, optionalIdNumber, requiredText, text } from '#schemas/dataset-fields.ts';

/**
 * `registers/proxy-accounts.csv`: filed cases where a payee's card is held or owned by someone
 * else. A row without `account_number` or `payee_id_number` is skipped (it can exempt no
 * payment). `filed_date` is evidence only, kept as written.
 */
export const PROXY_ACCOUNTS = defineDataset({
  name: 'proxy-accounts',
  source: { kind: 'file', key: registerFile.key({ register: 'proxy-accounts' }) },
  columns: {
    account_number: { kind: requiredText, required: true },
    payee_id_number: { kind: idNumber, required: true },
    holder_id_number: { kind: optionalIdNumber },
    filed_date: { kind: text },
  },
  person: 'payee_id_number',
  record:
    ({ source, account_number, payee_id_number, holder_id_number, filed_date }) =>
    (i) => ({
      accountNumber: account_number(i),
      payeeIdNumber: payee_id_number(i),
      holderIdNumber: holder_id_number(i),
      filedDate: filed_date(i),
      source: source(i),
    }),
  personOf: (r) => r.payeeIdNumber,
});
