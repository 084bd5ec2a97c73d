/**
 * Key design of the DynamoDB tables, shared by `infra/` (table definitions) and the local stack.
 * Every state change is a single-item conditional write (no transactions: the local stand-in
 * does not support them, and none is needed).
 */
export const STATE_TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/**
 * Append-only audit trail: one partition per month (`MONTH#{month}`), one item per entry at sort
 * key `SEQ#{seq}` (zero-padded), the month's hash chain in key order.
 */
export const AUDIT_TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/**
 * Cases of the town desk (issue 11): a month's cases in one partition (`MONTH#{month}`), each at
 * sort key `TOWN#{town}#CASE#{caseId}` so that a town's cases are one `begins_with` query and the
 * month's are one query; replacements of the home-visit sample at `TOWN#{town}#REPLACEMENT#{rank}`;
 * clearances of REVIEW findings in partitions `CLEARED#{code}#{id_number}#{category}`, one item per
 * evidence fingerprint (`EVIDENCE#{fingerprint}`).
 */
export const CASE_TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/** Environment variables the handlers read. */
export const ENV = {
  stateTable: 'STATE_TABLE_NAME',
  auditTable: 'AUDIT_TABLE_NAME',
  caseTable: 'CASE_TABLE_NAME',
  bucket: 'DATA_BUCKET_NAME',
  /** Rows per month-run partition above which the month is split. */
  partitionRows: 'PARTITION_ROWS',
  /** JSON of `ContactsSchema`: approvers, town offices, the bureau. */
  contacts: 'PAYGUARD_CONTACTS',
  /** Base URL of the approval site (links in approval e-mails; the origin a decision must come from). */
  approvalBaseUrl: 'APPROVAL_BASE_URL',
  /** Verified SES sender of notifications. */
  mailFrom: 'MAIL_FROM',
  /** Secrets Manager secret that signs approval links (locally: the Secrets Manager stand-in's). */
  linkSecretArn: 'APPROVAL_LINK_SECRET_ARN',
} as const;
