/**
 * What starts the event-driven workflows: S3 "Object Created" events under a key prefix.
 * The stack's EventBridge rules and the local event bridge both read this.
 */
export const INGEST_TRIGGER = {
  source: 'aws.s3',
  detailType: 'Object Created',
  keyPrefix: 'incoming/',
} as const;

/** Reference, register and partner files start the dataset-ingest workflow. */
export const DATASET_TRIGGER = {
  source: 'aws.s3',
  detailType: 'Object Created',
  keyPrefixes: ['reference/', 'registers/', 'partners/'],
} as const;

/** A bank return file resumes the month waiting for it (bank-returns workflow). */
export const BANK_RETURNS_TRIGGER = {
  source: 'aws.s3',
  detailType: 'Object Created',
  keyPrefix: 'bank-returns/',
} as const;
