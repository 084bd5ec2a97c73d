import { z } from 'zod';

/** A city-level approver: approval links are issued to one approver each. */
export const ApproverSchema = z.object({
  /** Stable identifier recorded in the audit trail (e.g. staff number). */
  id: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/),
  name: z.string().min(1).max(50),
  email: z.string().email(),
});
export type Approver = z.infer<typeof ApproverSchema>;

/**
 * The mailbox an address reaches, for telling people apart: case folded, and a `+tag` of the local
 * part dropped (`A.Wang+payguard@X.gov.cn` and `a.wang@x.gov.cn` reach the same person).
 * @example mailboxOf('A.Wang+pg@MZ.example.gov.cn') // 'a.wang@mz.example.gov.cn'
 */
export function mailboxOf(email: string): string {
  const lower = email.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at < 0) return lower;
  const local = lower.slice(0, at);
  const plus = local.indexOf('+');
  return `${plus > 0 ? local.slice(0, plus) : local}${lower.slice(at)}`;
}

/**
 * Four eyes need as many people as approver entries: an id listed twice, or two ids whose
 * e-mails reach one mailbox (one person would get both links), is refused.
 */
function refuseSharedApprovers(approvers: readonly Approver[], context: z.RefinementCtx): void {
  const byId = new Map<string, number>();
  const byMailbox = new Map<string, string>();
  approvers.forEach((approver, index) => {
    const first = byId.get(approver.id);
    if (first !== undefined) {
      context.addIssue({
        code: 'custom',
        path: [index, 'id'],
        message: `approver id "${approver.id}" is listed twice (entries ${first + 1} and ${index + 1}); each approver is one person, listed once`,
      });
    } else {
      byId.set(approver.id, index);
    }
    const mailbox = mailboxOf(approver.email);
    const other = byMailbox.get(mailbox);
    if (other !== undefined && other !== approver.id) {
      context.addIssue({
        code: 'custom',
        path: [index, 'email'],
        message: `approvers "${other}" and "${approver.id}" share the e-mail ${mailbox}: one person would receive both approval links, so four eyes would be one pair; give each approver their own address`,
      });
    } else if (other === undefined) {
      byMailbox.set(mailbox, approver.id);
    }
  });
}

/**
 * Who is told what (env `PAYGUARD_CONTACTS`, set by the stack from its configuration): the
 * approvers, each town office by town code, the bureau, and the bureau's operations contact.
 * Approvers are distinct people: no id twice, no two ids with one e-mail (see {@link mailboxOf}).
 * @example {"approvers":[{"id":"a.wang","name":"王审批","email":"a.wang@mz.example.gov.cn"}],"towns":{"shiqi":"shiqi@example.gov.cn"},"bureau":["ops@example.gov.cn"],"operations":["oncall@example.gov.cn"]}
 */
export const ContactsSchema = z.object({
  approvers: z.array(ApproverSchema).min(1).superRefine(refuseSharedApprovers),
  towns: z.record(z.string(), z.string().email()).default({}),
  bureau: z.array(z.string().email()).default([]),
  /**
   * Whoever answers when the pipeline itself fails: alarms (a dead-letter queue holding a start
   * that never happened) and failed, timed-out or aborted workflow executions are mailed here
   * (SNS e-mail subscriptions in AWS). Deploying needs at least one (`infra/notifications.ts`).
   * @default []
   */
  operations: z.array(z.string().email()).default([]),
});
export type Contacts = z.infer<typeof ContactsSchema>;

/** The problems of contacts that did not parse, one readable line each (which entry, and why). */
export function contactsProblems(error: z.ZodError): string {
  return z.prettifyError(error);
}

/** The contacts configuration is unusable; the message says which entry and why. */
export class ContactsConfigError extends Error {
  override readonly name = 'ContactsConfigError';
}

/**
 * Parses contacts given as JSON text, e.g. `PAYGUARD_CONTACTS`; `source` names where they came
 * from in the message.
 * @throws ContactsConfigError naming each problem (not JSON, an entry that does not fit, shared approvers).
 */
export function parseContacts(json: string, source: string): Contacts {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new ContactsConfigError(`${source} is not JSON: ${(error as Error).message}`);
  }
  const parsed = ContactsSchema.safeParse(value);
  if (!parsed.success) {
    throw new ContactsConfigError(`${source} is not valid:\n${contactsProblems(parsed.error)}`);
  }
  return parsed.data;
}
