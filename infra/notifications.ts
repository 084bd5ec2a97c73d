import type { Construct } from 'constructs';
import { type Contacts, ContactsSchema, contactsProblems } from '#schemas/contacts.ts';

/**
 * Context key holding who is told what: the approvers, each town office by town code, the bureau
 * and its operations contact, as `ContactsSchema` of `schemas/contacts.ts` (JSON text, or an object
 * in `cdk.json`). Set it per
 * deployment, e.g. `cdk deploy -c 'payguard:contacts={"approvers":[…],"towns":{…},"bureau":[…],"operations":[…]}'`.
 * The `cdk.json` of the repository holds an example under `example.gov.cn`, which receives no mail.
 */
export const CONTACTS_CONTEXT_KEY = 'payguard:contacts';

/**
 * Context key naming the SES sender of every notification (`MAIL_FROM`): a bare address whose
 * own identity or whose domain is verified in SES in the stack's account and region. The stack does
 * not create that identity.
 */
export const MAIL_FROM_CONTEXT_KEY = 'payguard:mailFrom';

/** Lambda caps all environment variables of a function at 4 KB together; leave room for the others. */
const MAX_CONTACTS_BYTES = 3072;

const EXAMPLE_DOMAIN = /@(?:[a-z0-9-]+\.)*example\.[a-z.]+$/i;

/**
 * The contacts of the `payguard:contacts` context, validated against `ContactsSchema` (defaults
 * applied), small enough for `PAYGUARD_CONTACTS`. Throws when the key is absent or invalid:
 * without approvers no month can be released, without an operations contact nobody hears of a
 * failure.
 */
export function readContacts(scope: Construct): Contacts {
  const value: unknown = scope.node.tryGetContext(CONTACTS_CONTEXT_KEY);
  if (value === undefined) {
    throw new Error(
      `Context ${CONTACTS_CONTEXT_KEY} is not set; it names the approvers, town offices and bureau ` +
        '(schemas/contacts.ts). Set it in cdk.json or pass ' +
        `-c '${CONTACTS_CONTEXT_KEY}={"approvers":[{"id":"a.wang","name":"王审批","email":"a.wang@mz.example.gov.cn"}],"towns":{},"bureau":[],"operations":["oncall@mz.example.gov.cn"]}'`,
    );
  }
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw new Error(`Context ${CONTACTS_CONTEXT_KEY} is not JSON: ${(error as Error).message}`);
    }
  }
  const contacts = ContactsSchema.safeParse(parsed);
  if (!contacts.success) {
    throw new Error(
      `Context ${CONTACTS_CONTEXT_KEY} does not match ContactsSchema (schemas/contacts.ts):\n${contactsProblems(contacts.error)}`,
    );
  }
  if (contacts.data.operations.length === 0) {
    throw new Error(
      `Context ${CONTACTS_CONTEXT_KEY} names no operations contact; alarms and failed workflow executions must ` +
        'reach a person: add "operations": ["oncall@your-bureau"] (e-mail addresses; each gets an SNS subscription to confirm)',
    );
  }
  const json = JSON.stringify(contacts.data);
  if (Buffer.byteLength(json) > MAX_CONTACTS_BYTES) {
    throw new Error(
      `Context ${CONTACTS_CONTEXT_KEY} is ${Buffer.byteLength(json)} bytes as JSON; Lambda allows 4 KB of ` +
        `environment per function, so keep it within ${MAX_CONTACTS_BYTES} bytes`,
    );
  }
  return contacts.data;
}

/** The sender address of the `payguard:mailFrom` context; throws when it is absent or not a string. */
export function readMailFrom(scope: Construct): string {
  const value: unknown = scope.node.tryGetContext(MAIL_FROM_CONTEXT_KEY);
  if (typeof value !== 'string' || value === '') {
    throw new Error(
      `Context ${MAIL_FROM_CONTEXT_KEY}=${JSON.stringify(value)} is not a sender address; set it in cdk.json or ` +
        `pass -c ${MAIL_FROM_CONTEXT_KEY}=payguard@your-verified-domain (an SES-verified address or domain)`,
    );
  }
  return value;
}

/** The addresses of `contacts` and `mailFrom` under an `example.*` domain, like those of the repository's `cdk.json`. */
export function exampleAddresses(contacts: Contacts, mailFrom: string): string[] {
  const addresses = [
    mailFrom,
    ...contacts.approvers.map((a) => a.email),
    ...Object.values(contacts.towns),
    ...contacts.bureau,
    ...contacts.operations,
  ];
  return [...new Set(addresses.filter((address) => EXAMPLE_DOMAIN.test(address)))];
}
