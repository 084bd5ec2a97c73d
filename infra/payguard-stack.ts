import { fileURLToPath } from 'node:url';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { WORKFLOWS } from '#pipelines/workflows.ts';
import { AUDIT_TABLE_KEYS, STATE_TABLE_KEYS } from '#schemas/tables.ts';
import { DataBucket } from './constructs/data-bucket.ts';
import { IngestTrigger } from './constructs/ingest-trigger.ts';
import { PayguardFunction } from './constructs/payguard-function.ts';
import { PayguardTable } from './constructs/payguard-table.ts';
import { WorkflowStateMachine } from './constructs/workflow-state-machine.ts';
import { profileOf } from './function-profiles.ts';
import { pascalCase } from './names.ts';

/** Root of the npm project: handler entries are `functions/<module>.ts` below it. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

/** Properties of a {@link PayguardStack}. */
export interface PayguardStackProps extends StackProps {
  /** Deployment stage, e.g. `dev` or `prod` (see `infra/stage.ts`). */
  readonly stage: string;
}

/**
 * The whole payguard pipeline: data bucket, run-state and audit tables, one function per workflow
 * task module, one state machine per workflow of `pipelines/workflows.ts`, and the EventBridge
 * rule that starts ingest on every upload under `incoming/`.
 */
export class PayguardStack extends Stack {
  readonly data: DataBucket;
  readonly stateTable: PayguardTable;
  readonly auditTable: PayguardTable;
  /** Functions keyed by module name under `functions/`. */
  readonly functions: ReadonlyMap<string, PayguardFunction>;
  /** State machines keyed by workflow name. */
  readonly workflows: ReadonlyMap<string, WorkflowStateMachine>;
  readonly ingestTrigger: IngestTrigger;

  constructor(scope: Construct, id: string, props: PayguardStackProps) {
    super(scope, id, { description: `payguard payout-integrity pipeline (${props.stage})`, ...props });

    this.data = new DataBucket(this, 'Data');
    this.stateTable = new PayguardTable(this, 'StateTable', { keys: STATE_TABLE_KEYS });
    this.auditTable = new PayguardTable(this, 'AuditTable', { keys: AUDIT_TABLE_KEYS });

    const modules = [...new Set(WORKFLOWS.flatMap((w) => w.tasks.map((t) => t.functionModule)))];
    const functions = new Map(modules.map((module) => [module, this.createFunction(module)]));
    this.functions = functions;

    this.workflows = new Map(
      WORKFLOWS.map((workflow) => [
        workflow.name,
        new WorkflowStateMachine(this, `${pascalCase(workflow.name)}Workflow`, { workflow, functions }),
      ]),
    );
    const ingest = this.workflows.get('ingest');
    if (!ingest)
      throw new Error('pipelines/workflows.ts has no "ingest" workflow; the upload trigger needs one');
    this.ingestTrigger = new IngestTrigger(this, 'IngestTrigger', {
      bucket: this.data.bucket,
      stateMachine: ingest,
    });

    new CfnOutput(this, 'DataBucketName', { value: this.data.bucket.bucketName });
    new CfnOutput(this, 'StateTableName', { value: this.stateTable.tableName });
    new CfnOutput(this, 'AuditTableName', { value: this.auditTable.tableName });
    for (const [name, machine] of this.workflows) {
      new CfnOutput(this, `${pascalCase(name)}StateMachineArn`, { value: machine.stateMachineArn });
    }
  }

  private createFunction(module: string): PayguardFunction {
    const profile = profileOf(module);
    const fn = new PayguardFunction(this, `${pascalCase(module)}Function`, {
      entry: `${PROJECT_ROOT}/functions/${module}.ts`,
      projectRoot: PROJECT_ROOT,
      description: profile.description,
      memorySize: profile.memorySize,
      timeout: profile.timeout,
    });
    if (profile.stateTable) fn.bindStateTable(this.stateTable, profile.stateTable);
    if (profile.audit) fn.bindAuditTable(this.auditTable);
    if (profile.bucket) fn.bindBucket(this.data.bucket, profile.bucket);
    return fn;
  }
}
