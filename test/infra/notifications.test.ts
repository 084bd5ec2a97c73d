import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import {
  CONTACTS_CONTEXT_KEY,
  exampleAddresses,
  MAIL_FROM_CONTEXT_KEY,
  readContacts,
  readMailFrom,
} from '../../infra/notifications.ts';
import { CDK_JSON_CONTEXT } from './synth-payguard.ts';

const CONTACTS = {
  approvers: [{ id: 'a.wang', name: '王审批', email: 'a.wang@mz.county.gov.cn' }],
  towns: { shiqi: 'shiqi@towns.county.gov.cn' },
  bureau: ['ops@mz.county.gov.cn'],
  operations: ['oncall@mz.county.gov.cn'],
};

const appWith = (context: Record<string, unknown>) => new App({ context });

describe('readContacts', () => {
  it.each([
    ['an object', CONTACTS],
    ['JSON text', JSON.stringify(CONTACTS)],
  ])('reads the contacts given as %s', (_, value) => {
    // Prepare
    const app = appWith({ [CONTACTS_CONTEXT_KEY]: value });

    // Act
    const contacts = readContacts(app);

    // Assess
    expect(contacts).toEqual(CONTACTS);
  });

  it('fills in absent towns and bureau as empty', () => {
    // Prepare
    const app = appWith({
      [CONTACTS_CONTEXT_KEY]: { approvers: CONTACTS.approvers, operations: CONTACTS.operations },
    });

    // Act
    const contacts = readContacts(app);

    // Assess
    expect(contacts).toEqual({
      approvers: CONTACTS.approvers,
      towns: {},
      bureau: [],
      operations: CONTACTS.operations,
    });
  });

  it('refuses contacts without an operations contact, saying what to add', () => {
    // Prepare
    const app = appWith({ [CONTACTS_CONTEXT_KEY]: { ...CONTACTS, operations: [] } });

    // Act
    const read = () => readContacts(app);

    // Assess
    expect(read).toThrow(
      `Context ${CONTACTS_CONTEXT_KEY} names no operations contact; alarms and failed workflow executions must reach a person: add "operations"`,
    );
  });

  it('reads the example of cdk.json', () => {
    // Prepare
    const app = appWith({ ...CDK_JSON_CONTEXT });

    // Act
    const contacts = readContacts(app);

    // Assess
    expect(contacts.approvers.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses to go without contacts, naming the context key and its shape', () => {
    // Prepare
    const app = appWith({});

    // Act
    const read = () => readContacts(app);

    // Assess
    expect(read).toThrow(`Context ${CONTACTS_CONTEXT_KEY} is not set; it names the approvers`);
  });

  it.each([
    ['text that is not JSON', '{approvers:'],
    ['no approver', { approvers: [] }],
    ['an approver without e-mail', { approvers: [{ id: 'a', name: 'A' }] }],
    ['an operations contact that is no e-mail address', { ...CONTACTS, operations: ['on call'] }],
  ])('refuses %s', (_, value) => {
    // Prepare
    const app = appWith({ [CONTACTS_CONTEXT_KEY]: value });

    // Act
    const read = () => readContacts(app);

    // Assess
    expect(read).toThrow(`Context ${CONTACTS_CONTEXT_KEY}`);
  });

  it('refuses contacts too large for a Lambda environment', () => {
    // Prepare
    const towns = Object.fromEntries(
      Array.from({ length: 120 }, (_, i) => [`town${i}`, `office${i}@towns.county.gov.cn`]),
    );
    const app = appWith({ [CONTACTS_CONTEXT_KEY]: { ...CONTACTS, towns } });

    // Act
    const read = () => readContacts(app);

    // Assess
    expect(read).toThrow(/Lambda allows 4 KB of environment per function/);
  });
});

describe('readMailFrom', () => {
  it('reads the sender', () => {
    // Prepare
    const app = appWith({ [MAIL_FROM_CONTEXT_KEY]: 'payguard@mz.county.gov.cn' });

    // Act
    const from = readMailFrom(app);

    // Assess
    expect(from).toBe('payguard@mz.county.gov.cn');
  });

  it.each([undefined, '', 42])('refuses %s, naming the context key', (value) => {
    // Prepare
    const app = appWith(value === undefined ? {} : { [MAIL_FROM_CONTEXT_KEY]: value });

    // Act
    const read = () => readMailFrom(app);

    // Assess
    expect(read).toThrow(`Context ${MAIL_FROM_CONTEXT_KEY}=`);
  });
});

describe('exampleAddresses', () => {
  it('finds the example addresses of cdk.json', () => {
    // Prepare
    const app = appWith({ ...CDK_JSON_CONTEXT });

    // Act
    const found = exampleAddresses(readContacts(app), readMailFrom(app));

    // Assess
    expect(found).toContain(CDK_JSON_CONTEXT[MAIL_FROM_CONTEXT_KEY]);
    expect(found).toContain('oncall@mzj.example.gov.cn');
  });

  it('finds none among real addresses', () => {
    // Prepare
    const from = 'payguard@mz.county.gov.cn';

    // Act
    const found = exampleAddresses({ ...CONTACTS }, from);

    // Assess
    expect(found).toEqual([]);
  });
});
