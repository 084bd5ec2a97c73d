import {
  bankReturnFile,
  partnerFile,
  registerFile,
  registryFile,
  rosterUpload,
} from '#schemas/bucket-layout.ts';

/**
 * What starts the event-driven workflows: S3 "Object Created" events under a key prefix.
 * The stack's EventBridge rules and the local event bridge both read this.
 */
export const INGEST_TRIGGER = {
  source: 'aws.s3',
  detailType: 'Object Created',
  keyPrefix: rosterUpload.root,
} as const;

/** Reference, register and partner files start the dataset-ingest workflow. */
export const DATASET_TRIGGER = {
  source: 'aws.s3',
  detailType: 'Object Created',
  keyPrefixes: [registryFile.root, registerFile.root, partnerFile.root],
} as const;

/** A bank return file resumes the month waiting for it (bank-returns workflow). */
export const BANK_RETURNS_TRIGGER = {
  source: 'aws.s3',
  detailType: 'Object Created',
  keyPrefix: bankReturnFile.root,
} as const;
