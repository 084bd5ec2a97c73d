import { randomBytes } from 'node:crypto';
import { type ApprovalServer, startApprovalServer } from '#local/stand-ins/approval-server.ts';
import {
  type SecretsManagerEndpoint,
  startSecretsManagerEndpoint,
} from '#local/stand-ins/secrets-manager-endpoint.ts';
import { type SesOutboxEndpoint, startSesOutboxEndpoint } from '#local/stand-ins/ses-outbox-endpoint.ts';
import {
  type StepFunctionsEndpoint,
  startStepFunctionsEndpoint,
} from '#local/stand-ins/step-functions-endpoint.ts';
import { TaskTokenBroker } from '#local/stand-ins/task-token-broker.ts';
import type { Contacts } from '#schemas/contacts.ts';
import { ENV } from '#schemas/tables.ts';

/** The demonstration city's approvers, town offices, bureau and operations contact (used when none are given). */
export function demoContacts(townCodes: readonly string[]): Contacts {
  return {
    approvers: [
      { id: 'approver.li', name: '李审批', email: 'li.shenpi@mzj.example.gov.cn' },
      { id: 'approver.zhao', name: '赵复核', email: 'zhao.fuhe@mzj.example.gov.cn' },
    ],
    towns: Object.fromEntries(townCodes.map((code) => [code, `${code}@towns.example.gov.cn`])),
    bureau: ['ops@mzj.example.gov.cn'],
    // Alarms and failed executions reach it in AWS only; locally the CLI reports them itself.
    operations: ['oncall@mzj.example.gov.cn'],
  };
}

/** The gate's local services: task tokens, the Step Functions and SES stand-ins, the approval site. */
export interface ApprovalServices {
  readonly broker: TaskTokenBroker;
  readonly outboxDir: string;
  readonly approvalUrl: string;
  readonly ses: SesOutboxEndpoint;
  /** The Step Functions stand-in the handlers' `SendTask*` calls reach. */
  readonly stepFunctions: StepFunctionsEndpoint;
  /** The Secrets Manager stand-in holding the link-signing secret (rotated with `RotateSecret`). */
  readonly secrets: SecretsManagerEndpoint;
  /** Loads the approval site's handlers in the background (see `ApprovalServer.preload`). */
  preloadSite(): void;
  stop(): Promise<void>;
}

/**
 * Starts what the approval gate needs on loopback and points the SDK and handlers at it:
 * `AWS_ENDPOINT_URL_SFN` (SendTaskSuccess/Failure settle the local broker's tokens),
 * `AWS_ENDPOINT_URL_SESV2` (e-mails land in `outboxDir`), `AWS_ENDPOINT_URL_SECRETS_MANAGER` (a
 * link-signing secret with a fresh random key, `APPROVAL_LINK_SECRET_ARN`, rotated by its rotation
 * function on `RotateSecret`), the approval site (`APPROVAL_BASE_URL`) and the contacts. Call after
 * `startLocalStack`.
 */
export async function startApprovalServices(options: {
  outboxDir: string;
  contacts: Contacts;
  port?: number;
}): Promise<ApprovalServices> {
  const broker = new TaskTokenBroker();
  const sfn: StepFunctionsEndpoint = await startStepFunctionsEndpoint(broker);
  const ses = await startSesOutboxEndpoint(options.outboxDir);
  const secrets = await startSecretsManagerEndpoint({
    name: 'payguard-approval-link',
    value: randomBytes(48).toString('base64url'),
  });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SFN: sfn.url,
    AWS_ENDPOINT_URL_SESV2: ses.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
    [ENV.linkSecretArn]: secrets.secretArn,
    [ENV.contacts]: JSON.stringify(options.contacts),
    [ENV.mailFrom]: 'payguard@mzj.example.gov.cn',
  });
  // The site must know its own URL before it serves (links, the origin a POST must come from).
  const server: ApprovalServer = await startApprovalServer({ port: options.port ?? 0 });
  process.env[ENV.approvalBaseUrl] = server.url;
  return {
    broker,
    outboxDir: options.outboxDir,
    approvalUrl: server.url,
    ses,
    stepFunctions: sfn,
    secrets,
    preloadSite: () => server.preload(),
    async stop() {
      await server.close();
      await ses.close();
      await sfn.close();
      await secrets.close();
    },
  };
}
