import { randomBytes } from 'node:crypto';
import { documentClient, s3Client, secretsManagerClient, sesClient, sfnClient } from '#adapters/clients.ts';
import { DynamoApprovalStore } from '#adapters/dynamo-approval-store.ts';
import { DynamoAuditLedger } from '#adapters/dynamo-audit-ledger.ts';
import { DynamoCaseStore } from '#adapters/dynamo-case-store.ts';
import { DynamoDeskStore } from '#adapters/dynamo-desk-store.ts';
import { DynamoRunStateStore } from '#adapters/dynamo-run-state.ts';
import { S3ObjectStore } from '#adapters/s3-object-store.ts';
import { S3UploadSigner } from '#adapters/s3-upload-signer.ts';
import { SecretsManagerRotation } from '#adapters/secrets-manager-rotation.ts';
import { SesNotifier } from '#adapters/ses-notifier.ts';
import { SfnTaskCallbacks } from '#adapters/sfn-task-callbacks.ts';
import { type Contacts, parseContacts } from '#schemas/contacts.ts';
import { ENV } from '#schemas/tables.ts';
import { ChainedAuditTrail } from '#usecases/audit-chain.ts';

export { linkKeys } from '#adapters/link-secret.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`Environment variable ${name} is not set; the stack sets it for every function`);
  return value;
}

export const now = () => new Date().toISOString();

/** A fresh sample seed when none was given: 128 random bits, hex. */
export const randomSeed = () => randomBytes(16).toString('hex');

/** Rows per month-run partition (`PARTITION_ROWS`); the use case's default when unset. */
export const partitionRows = (): number | undefined => {
  const value = process.env[ENV.partitionRows];
  return value ? Number.parseInt(value, 10) : undefined;
};

export const stateStore = (claim = '') =>
  new DynamoRunStateStore(documentClient(), required(ENV.stateTable), claim);
/** The audit trail: each month's entries chained by SHA-256 in the audit table. */
export const auditTrail = () =>
  new ChainedAuditTrail(new DynamoAuditLedger(documentClient(), required(ENV.auditTable)));
/** The town desk's cases (issue 11). */
export const caseStore = () => new DynamoCaseStore(documentClient(), required(ENV.caseTable));
export const objectStore = (bucket: string) => new S3ObjectStore(s3Client(), bucket);
export const approvalStore = () => new DynamoApprovalStore(documentClient(), required(ENV.stateTable));
/** The town desk's links and sessions, and the upload records it reads. */
export const deskStore = () => new DynamoDeskStore(documentClient(), required(ENV.stateTable));
/** Presigned PUTs into the data bucket, signed with the function's own role. */
export const uploadSigner = (bucket: string) => new S3UploadSigner(s3Client(), bucket);
export const taskCallbacks = () => new SfnTaskCallbacks(sfnClient());
export const notifier = () => new SesNotifier(sesClient(), required(ENV.mailFrom));
export const approvalBaseUrl = () => required(ENV.approvalBaseUrl);
export const rotatedSecret = () => new SecretsManagerRotation(secretsManagerClient());

/**
 * Approvers, town offices and the bureau (`PAYGUARD_CONTACTS`).
 * @throws ContactsConfigError when they are not valid, e.g. two approver ids share an e-mail.
 */
export function contacts(): Contacts {
  return parseContacts(required(ENV.contacts), ENV.contacts);
}
