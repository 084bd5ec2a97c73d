import { fileURLToPath } from 'node:url';
import { Annotations, CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { APPROVAL_DESK_MODULE, bucketAccessOf, TOWN_DESK_MODULE } from '#pipelines/bucket-access.ts';
import {
  DELIVER_DECISIONS_MODULE,
  ROTATE_LINK_SECRET_MODULE,
  STANDALONE_MODULES,
} from '#pipelines/standalone-functions.ts';
import { BANK_RETURNS_TRIGGER, DATASET_TRIGGER, INGEST_TRIGGER } from '#pipelines/triggers.ts';
import { WORKFLOWS } from '#pipelines/workflows.ts';
import { AUDIT_TABLE_KEYS, CASE_TABLE_KEYS, STATE_TABLE_KEYS } from '#schemas/tables.ts';
import { ApprovalSite } from './constructs/approval-site.ts';
import { DataBucket } from './constructs/data-bucket.ts';
import { FunctionSchedule } from './constructs/function-schedule.ts';
import { OperationsAlerts } from './constructs/operations-alerts.ts';
import { PayguardFunction } from './constructs/payguard-function.ts';
import { PayguardTable } from './constructs/payguard-table.ts';
import { WorkflowSchedule } from './constructs/workflow-schedule.ts';
import { WorkflowStateMachine } from './constructs/workflow-state-machine.ts';
import { WorkflowTrigger } from './constructs/workflow-trigger.ts';
import { profileOf } from './function-profiles.ts';
import { readMonthWatchSchedule, readTimeZone } from './month-watch-schedule.ts';
import { pascalCase } from './names.ts';
import {
  CONTACTS_CONTEXT_KEY,
  exampleAddresses,
  MAIL_FROM_CONTEXT_KEY,
  readContacts,
  readMailFrom,
} from './notifications.ts';
import { readPartitionRows } from './partition-rows.ts';

/** Root of the npm project: handler entries are `functions/<module>.ts` below it. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

/** How often stored approval decisions not yet delivered to their workflow are delivered again. */
export const DECISION_SWEEP_PERIOD = Duration.minutes(10);

/**
 * How often the link-signing key rotates. Longer than any link lives (`approvalLinkHours` is at
 * most 168): a link's key is at worst AWSPREVIOUS, still accepted, until the link expires.
 */
export const LINK_KEY_ROTATION = Duration.days(30);

/** Properties of a {@link PayguardStack}. */
export interface PayguardStackProps extends StackProps {
  /** Deployment stage, e.g. `dev` or `prod` (see `infra/stage.ts`). */
  readonly stage: string;
}

/**
 * The whole payguard pipeline: data bucket, run-state and audit tables, one function per workflow
 * task module, one state machine per workflow of `pipelines/workflows.ts` (ingest starts the month
 * run), the EventBridge rules that start ingest on every upload under `incoming/`, dataset-ingest
 * on every file under `reference/`, `registers/` and `partners/` and bank-returns on every file
 * under `bank-returns/`, the EventBridge Scheduler schedule that starts month-watch monthly (see
 * `infra/month-watch-schedule.ts`), and the approval site (HTTP API and its function) with the
 * secret that signs approval links. Notifications go to the contacts of the `payguard:contacts`
 * context from the `payguard:mailFrom` sender (see `infra/notifications.ts`); every alarm and every
 * failed, timed-out or aborted workflow execution is mailed to its operations contact.
 */
export class PayguardStack extends Stack {
  readonly data: DataBucket;
  readonly stateTable: PayguardTable;
  readonly auditTable: PayguardTable;
  /** The town desk's cases (issue 11): opened by the workflows, worked by the town offices. */
  readonly caseTable: PayguardTable;
  /** Functions keyed by module name under `functions/`: every workflow task module and `approval-desk`. */
  readonly functions: ReadonlyMap<string, PayguardFunction>;
  /** State machines keyed by workflow name. */
  readonly workflows: ReadonlyMap<string, WorkflowStateMachine>;
  /** Starts ingest for objects created under `incoming/`. */
  readonly ingestTrigger: WorkflowTrigger;
  /** Starts dataset-ingest for objects created under `reference/`, `registers/` and `partners/`. */
  readonly datasetTrigger: WorkflowTrigger;
  /** Resumes the month waiting for its bank returns for objects created under `bank-returns/`. */
  readonly bankReturnsTrigger: WorkflowTrigger;
  /** Starts month-watch monthly, in the `payguard:timeZone` time zone, for the month before. */
  readonly monthWatchSchedule: WorkflowSchedule;
  /**
   * The site approvers open their signed links on, served by the `approval-desk` function; its
   * `/desk` routes are the town desk, served by the `town-desk` function.
   */
  readonly approvalSite: ApprovalSite;
  /** Invokes the decision-delivery sweep every {@link DECISION_SWEEP_PERIOD}. */
  readonly decisionSweep: FunctionSchedule;
  /**
   * Signs approval links and forms; readable by request-approval and approval-desk only, rotated
   * every {@link LINK_KEY_ROTATION} by the rotate-link-secret function.
   */
  readonly linkSecret: Secret;
  /** Mails the operations contact on every alarm of the stack and every failed workflow execution. */
  readonly operationsAlerts: OperationsAlerts;
  private readonly partitionRows: number;
  private readonly contactsJson: string;
  private readonly mailFrom: string;

  constructor(scope: Construct, id: string, props: PayguardStackProps) {
    super(scope, id, { description: `payguard payout-integrity pipeline (${props.stage})`, ...props });

    this.data = new DataBucket(this, 'Data');
    this.stateTable = new PayguardTable(this, 'StateTable', { keys: STATE_TABLE_KEYS });
    this.auditTable = new PayguardTable(this, 'AuditTable', { keys: AUDIT_TABLE_KEYS, appendOnly: true });
    this.caseTable = new PayguardTable(this, 'CaseTable', { keys: CASE_TABLE_KEYS });
    this.partitionRows = readPartitionRows(this);
    const contacts = readContacts(this);
    this.contactsJson = JSON.stringify(contacts);
    this.mailFrom = readMailFrom(this);
    const examples = exampleAddresses(contacts, this.mailFrom);
    if (examples.length > 0) {
      Annotations.of(this).addWarningV2(
        'payguard:exampleAddresses',
        `Notifications use ${examples.length} example address(es) such as ${examples[0]}, which receive no mail; set the ` +
          `${CONTACTS_CONTEXT_KEY} and ${MAIL_FROM_CONTEXT_KEY} context for a real deployment`,
      );
    }

    this.linkSecret = new Secret(this, 'ApprovalLinkSecret', {
      description:
        'payguard: HMAC key signing approval links and forms (read by request-approval and approval-desk)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    this.approvalSite = new ApprovalSite(this, 'ApprovalSite');

    const modules = [
      ...new Set(WORKFLOWS.flatMap((w) => w.tasks.map((t) => t.functionModule))),
      ...STANDALONE_MODULES,
    ];
    const functions = new Map(modules.map((module) => [module, this.createFunction(module)]));
    this.functions = functions;
    this.approvalSite.serve(this.functionNamed(APPROVAL_DESK_MODULE));
    this.approvalSite.serveDesk(this.functionNamed(TOWN_DESK_MODULE));
    // The desk page's browser PUTs a town's roster straight into the bucket (a presigned URL).
    this.data.allowBrowserPuts(this.approvalSite.url);
    this.rotateLinkSecret(this.functionNamed(ROTATE_LINK_SECRET_MODULE));
    this.decisionSweep = new FunctionSchedule(this, 'DecisionDeliverySweep', {
      fn: this.functionNamed(DELIVER_DECISIONS_MODULE),
      purpose: 'delivers stored approval decisions whose SendTaskSuccess failed',
      every: DECISION_SWEEP_PERIOD,
    });

    // In the order of WORKFLOWS, which lists a started workflow before the one starting it.
    const workflows = new Map<string, WorkflowStateMachine>();
    for (const workflow of WORKFLOWS) {
      const id = `${pascalCase(workflow.name)}Workflow`;
      workflows.set(
        workflow.name,
        new WorkflowStateMachine(this, id, {
          workflow,
          functions,
          stateMachines: workflows,
          bucket: this.data.bucket,
        }),
      );
    }
    this.workflows = workflows;

    this.ingestTrigger = new WorkflowTrigger(this, 'IngestTrigger', {
      bucket: this.data.bucket,
      trigger: INGEST_TRIGGER,
      keyPrefixes: [INGEST_TRIGGER.keyPrefix],
      workflowName: 'ingest',
      stateMachine: this.workflowNamed('ingest', 'the upload trigger'),
    });
    this.datasetTrigger = new WorkflowTrigger(this, 'DatasetIngestTrigger', {
      bucket: this.data.bucket,
      trigger: DATASET_TRIGGER,
      keyPrefixes: DATASET_TRIGGER.keyPrefixes,
      workflowName: 'dataset-ingest',
      stateMachine: this.workflowNamed('dataset-ingest', 'the dataset trigger'),
    });
    this.bankReturnsTrigger = new WorkflowTrigger(this, 'BankReturnsTrigger', {
      bucket: this.data.bucket,
      trigger: BANK_RETURNS_TRIGGER,
      keyPrefixes: [BANK_RETURNS_TRIGGER.keyPrefix],
      workflowName: 'bank-returns',
      stateMachine: this.workflowNamed('bank-returns', 'the bank-returns trigger'),
    });
    const timeZone = readTimeZone(this);
    this.monthWatchSchedule = new WorkflowSchedule(this, 'MonthWatchSchedule', {
      stateMachine: this.workflowNamed('month-watch', 'the month-watch schedule'),
      workflowName: 'month-watch',
      expression: readMonthWatchSchedule(this),
      timeZone,
      // MonthWatchInputSchema (schemas/metrics.ts): no month, so ComputeMetrics takes the month before.
      input: { bucket: this.data.bucket.bucketName, timeZone },
    });

    // Last, so that every alarm of the stack exists: none may go off unheard.
    this.operationsAlerts = new OperationsAlerts(this, 'OperationsAlerts', { emails: contacts.operations });
    for (const alarm of this.node.findAll().filter((c): c is Alarm => c instanceof Alarm)) {
      this.operationsAlerts.notifyOnAlarm(alarm);
    }
    this.operationsAlerts.notifyOnFailedExecutions([...this.workflows.values()]);

    new CfnOutput(this, 'DataBucketName', { value: this.data.bucket.bucketName });
    new CfnOutput(this, 'StateTableName', { value: this.stateTable.tableName });
    new CfnOutput(this, 'AuditTableName', { value: this.auditTable.tableName });
    new CfnOutput(this, 'CaseTableName', { value: this.caseTable.tableName });
    for (const [name, machine] of this.workflows) {
      new CfnOutput(this, `${pascalCase(name)}StateMachineArn`, { value: machine.stateMachineArn });
    }
    new CfnOutput(this, 'MonthWatchScheduleName', { value: this.monthWatchSchedule.schedule.scheduleName });
    new CfnOutput(this, 'ApprovalSiteUrl', { value: this.approvalSite.url });
  }

  /**
   * Rotates the link secret every {@link LINK_KEY_ROTATION} with `fn` (Secrets Manager's generic
   * rotation steps); the functions that check links accept AWSCURRENT and AWSPREVIOUS.
   */
  private rotateLinkSecret(fn: PayguardFunction): void {
    this.linkSecret.addRotationSchedule('Rotation', {
      rotationLambda: fn,
      automaticallyAfter: LINK_KEY_ROTATION,
    });
    Validations.of(fn.executionRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'secretsmanager:GetRandomPassword (the new key) and the X-Ray actions of active tracing support no ' +
        'resource-level permissions; the rotation grants on the secret itself name that one secret.',
    });
  }

  private functionNamed(module: string): PayguardFunction {
    const fn = this.functions.get(module);
    if (!fn) throw new Error(`The payguard stack has no function for module "${module}"`);
    return fn;
  }

  private workflowNamed(name: string, neededBy: string): WorkflowStateMachine {
    const machine = this.workflows.get(name);
    if (!machine) {
      throw new Error(`pipelines/workflows.ts has no "${name}" workflow; ${neededBy} needs one`);
    }
    return machine;
  }

  private createFunction(module: string): PayguardFunction {
    const profile = profileOf(module);
    const fn = new PayguardFunction(this, `${pascalCase(module)}Function`, {
      entry: `${PROJECT_ROOT}/functions/${module}.ts`,
      projectRoot: PROJECT_ROOT,
      description: profile.description,
      memorySize: profile.memorySize,
      timeout: profile.timeout,
      ephemeralStorageSize: profile.scratch,
    });
    if (profile.stateTable) fn.bindStateTable(this.stateTable, profile.stateTable);
    if (profile.audit) fn.bindAuditTable(this.auditTable);
    if (profile.cases) fn.bindCaseTable(this.caseTable, profile.cases);
    const bucketAccess = bucketAccessOf(module);
    if (bucketAccess) fn.bindBucket(this.data.bucket, bucketAccess);
    if (profile.partitionRows) fn.setPartitionRows(this.partitionRows);
    if (profile.taskCallbacks) fn.bindTaskCallbacks(profile.taskCallbacks);
    if (profile.sendsMail) fn.bindMailSender(this.mailFrom);
    if (profile.contacts) fn.setContacts(this.contactsJson);
    if (profile.approvalLinks) {
      fn.bindLinkSecret(this.linkSecret);
      fn.setApprovalBaseUrl(this.approvalSite.url);
    }
    return fn;
  }
}
