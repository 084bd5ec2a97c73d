import { describe, expect, it } from 'vitest';
import { ContactsConfigError, ContactsSchema, mailboxOf, parseContacts } from '#schemas/contacts.ts';

const LI = { id: 'approver.li', name: '李审批', email: 'li.shenpi@mzj.county.gov.cn' };
const ZHAO = { id: 'approver.zhao', name: '赵复核', email: 'zhao.fuhe@mzj.county.gov.cn' };

describe('mailboxOf', () => {
  it.each([
    ['li.shenpi@mzj.county.gov.cn', 'li.shenpi@mzj.county.gov.cn'],
    ['Li.Shenpi@MZJ.County.gov.cn', 'li.shenpi@mzj.county.gov.cn'],
    ['li.shenpi+payguard@mzj.county.gov.cn', 'li.shenpi@mzj.county.gov.cn'],
    [' li.shenpi@mzj.county.gov.cn ', 'li.shenpi@mzj.county.gov.cn'],
  ])('reads %s as the mailbox %s', (email, mailbox) => {
    // Act
    const read = mailboxOf(email);

    // Assess
    expect(read).toBe(mailbox);
  });
});

describe('ContactsSchema', () => {
  it('accepts two approvers who are two people', () => {
    // Act
    const parsed = ContactsSchema.safeParse({ approvers: [LI, ZHAO] });

    // Assess
    expect(parsed.success).toBe(true);
  });

  it.each([
    ['the same e-mail', { ...ZHAO, email: LI.email }],
    ['the same e-mail in other case', { ...ZHAO, email: LI.email.toUpperCase() }],
    ['the same mailbox with a +tag', { ...ZHAO, email: 'li.shenpi+second@mzj.county.gov.cn' }],
  ])('refuses two approver ids with %s, naming both', (_, second) => {
    // Act
    const parsed = ContactsSchema.safeParse({ approvers: [LI, second] });

    // Assess
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({
        path: ['approvers', 1, 'email'],
        message: expect.stringContaining(
          'approvers "approver.li" and "approver.zhao" share the e-mail li.shenpi@mzj.county.gov.cn',
        ),
      }),
    ]);
  });

  it('refuses the same approver id twice', () => {
    // Act
    const parsed = ContactsSchema.safeParse({ approvers: [LI, ZHAO, { ...LI, email: 'other@x.gov.cn' }] });

    // Assess
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toEqual([
      'approver id "approver.li" is listed twice (entries 1 and 3); each approver is one person, listed once',
    ]);
  });
});

describe('parseContacts', () => {
  it('says where the contacts came from and what is wrong, in one readable message', () => {
    // Prepare
    const json = JSON.stringify({ approvers: [LI, { ...ZHAO, email: LI.email }] });

    // Act
    const parse = () => parseContacts(json, 'PAYGUARD_CONTACTS');

    // Assess
    expect(parse).toThrow(ContactsConfigError);
    expect(parse).toThrow(
      /^PAYGUARD_CONTACTS is not valid:\n.*share the e-mail li\.shenpi@mzj\.county\.gov\.cn/s,
    );
  });

  it('refuses text that is not JSON', () => {
    // Act
    const parse = () => parseContacts('{approvers:', 'PAYGUARD_CONTACTS');

    // Assess
    expect(parse).toThrow(/^PAYGUARD_CONTACTS is not JSON: /);
  });

  it('returns the contacts with defaults applied', () => {
    // Act
    const contacts = parseContacts(JSON.stringify({ approvers: [LI] }), 'PAYGUARD_CONTACTS');

    // Assess
    expect(contacts).toEqual({ approvers: [LI], towns: {}, bureau: [] });
  });
});
