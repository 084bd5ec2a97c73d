/**
 * What starts the ingest workflow: an S3 "Object Created" event for a key under `incoming/`.
 * The stack's EventBridge rule and the local event bridge both read this.
 */
export const INGEST_TRIGGER = {
  source: 'aws.s3',
  detailType: 'Object Created',
  keyPrefix: 'incoming/',
} as const;
