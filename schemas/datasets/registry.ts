import { registryFile } from '#schemas/bucket-layout.ts';
import { defineDataset } from '#schemas/dataset-descriptor.ts';
import { amount, category, idNumber, oneOf, optionalMonth, text } from '#schemas/dataset-fields.ts';

export const REGISTRY_STATUSES = ['ACTIVE', 'SUSPENDED', 'TERMINATED'] as const;
export type RegistryStatus = (typeof REGISTRY_STATUSES)[number];

/**
 * `reference/registry.csv`, the case system's snapshot (system of record); at most one row per
 * (`id_number`, `category`). Every column is required. A row is skipped (and counted, with its
 * reason) when its ID is empty, its category names no category, its status is not
 * `ACTIVE`/`SUSPENDED`/`TERMINATED` (case-insensitive), its `approved_amount` is not an amount,
 * or `valid_from`/`valid_to` is neither a month nor empty. A skipped registry row is reported in
 * the snapshot, and its (id, category) then has no registry row, so a payment for it is
 * `NOT_IN_REGISTRY` (BLOCK): the safe direction.
 */
export const REGISTRY = defineDataset({
  name: 'registry',
  source: { kind: 'file', key: registryFile.key() },
  presence: 'required',
  columns: {
    id_number: { kind: idNumber, required: true },
    name: { kind: text, required: true },
    household_id: { kind: text, required: true },
    category: { kind: category, required: true },
    approved_amount: { kind: amount, required: true },
    status: { kind: oneOf(REGISTRY_STATUSES), required: true },
    /** A town code, as written. */
    town: { kind: text, required: true },
    account_number: { kind: text, required: true },
    valid_from: { kind: optionalMonth, required: true },
    valid_to: { kind: optionalMonth, required: true },
  },
  person: 'id_number',
  // MISSING_PAYMENT: a registry row of a person not paid this month is a finding.
  checksUnpaid: true,
  record: (c) => {
    const { source, line, id_number, name, household_id, category, approved_amount, status } = c;
    const { town, account_number, valid_from, valid_to } = c;
    return (i) => ({
      idNumber: id_number(i),
      name: name(i),
      householdId: household_id(i),
      category: category(i),
      approvedAmountFen: approved_amount(i),
      status: status(i),
      town: town(i),
      accountNumber: account_number(i),
      /** Empty = open start. */
      validFrom: valid_from(i),
      /** Empty = open end. */
      validTo: valid_to(i),
      source: source(i),
      /** 1-based record number in its file. */
      line: line(i),
    });
  },
  personOf: (r) => r.idNumber,
});
