import { fileURLToPath } from 'node:url';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DATASET_TRIGGER, INGEST_TRIGGER } from '#pipelines/triggers.ts';
import { WORKFLOWS } from '#pipelines/workflows.ts';
import { AUDIT_TABLE_KEYS, STATE_TABLE_KEYS } from '#schemas/tables.ts';
import { DataBucket } from './constructs/data-bucket.ts';
import { PayguardFunction } from './constructs/payguard-function.ts';
import { PayguardTable } from './constructs/payguard-table.ts';
import { WorkflowStateMachine } from './constructs/workflow-state-machine.ts';
import { WorkflowTrigger } from './constructs/workflow-trigger.ts';
import { profileOf } from './function-profiles.ts';
import { pascalCase } from './names.ts';
import { readPartitionRows } from './partition-rows.ts';

/** Root of the npm project: handler entries are `functions/<module>.ts` below it. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

/** Properties of a {@link PayguardStack}. */
export interface PayguardStackProps extends StackProps {
  /** Deployment stage, e.g. `dev` or `prod` (see `infra/stage.ts`). */
  readonly stage: string;
}

/**
 * The whole payguard pipeline: data bucket, run-state and audit tables, one function per workflow
 * task module, one state machine per workflow of `pipelines/workflows.ts` (ingest starts the month
 * run), and the EventBridge rules that start ingest on every upload under `incoming/` and
 * dataset-ingest on every file under `reference/`, `registers/` and `partners/`.
 */
export class PayguardStack extends Stack {
  readonly data: DataBucket;
  readonly stateTable: PayguardTable;
  readonly auditTable: PayguardTable;
  /** Functions keyed by module name under `functions/`. */
  readonly functions: ReadonlyMap<string, PayguardFunction>;
  /** State machines keyed by workflow name. */
  readonly workflows: ReadonlyMap<string, WorkflowStateMachine>;
  /** Starts ingest for objects created under `incoming/`. */
  readonly ingestTrigger: WorkflowTrigger;
  /** Starts dataset-ingest for objects created under `reference/`, `registers/` and `partners/`. */
  readonly datasetTrigger: WorkflowTrigger;
  private readonly partitionRows: number;

  constructor(scope: Construct, id: string, props: PayguardStackProps) {
    super(scope, id, { description: `payguard payout-integrity pipeline (${props.stage})`, ...props });

    this.data = new DataBucket(this, 'Data');
    this.stateTable = new PayguardTable(this, 'StateTable', { keys: STATE_TABLE_KEYS });
    this.auditTable = new PayguardTable(this, 'AuditTable', { keys: AUDIT_TABLE_KEYS });
    this.partitionRows = readPartitionRows(this);

    const modules = [...new Set(WORKFLOWS.flatMap((w) => w.tasks.map((t) => t.functionModule)))];
    const functions = new Map(modules.map((module) => [module, this.createFunction(module)]));
    this.functions = functions;

    // In the order of WORKFLOWS, which lists a started workflow before the one starting it.
    const workflows = new Map<string, WorkflowStateMachine>();
    for (const workflow of WORKFLOWS) {
      const id = `${pascalCase(workflow.name)}Workflow`;
      workflows.set(
        workflow.name,
        new WorkflowStateMachine(this, id, { workflow, functions, stateMachines: workflows }),
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

    new CfnOutput(this, 'DataBucketName', { value: this.data.bucket.bucketName });
    new CfnOutput(this, 'StateTableName', { value: this.stateTable.tableName });
    new CfnOutput(this, 'AuditTableName', { value: this.auditTable.tableName });
    for (const [name, machine] of this.workflows) {
      new CfnOutput(this, `${pascalCase(name)}StateMachineArn`, { value: machine.stateMachineArn });
    }
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
    });
    if (profile.stateTable) fn.bindStateTable(this.stateTable, profile.stateTable);
    if (profile.audit) fn.bindAuditTable(this.auditTable);
    if (profile.bucket) fn.bindBucket(this.data.bucket, profile.bucket);
    if (profile.partitionRows) fn.setPartitionRows(this.partitionRows);
    return fn;
  }
}
