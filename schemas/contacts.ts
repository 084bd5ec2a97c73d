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
 * Who is told what (env `PAYGUARD_CONTACTS`, set by the stack from its configuration): the
 * approvers, each town office by town code, the bureau, and the bureau's operations contact.
 * @example {"approvers":[{"id":"a.wang","name":"王审批","email":"a.wang@mz.example.gov.cn"}],"towns":{"shiqi":"shiqi@example.gov.cn"},"bureau":["ops@example.gov.cn"],"operations":["oncall@example.gov.cn"]}
 */
export const ContactsSchema = z.object({
  approvers: z.array(ApproverSchema).min(1),
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
