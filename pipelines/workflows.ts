import { readFileSync } from 'node:fs';

/** A Lambda-backed Task state of a workflow and the function that serves it. */
export interface WorkflowTask {
  /** PascalCase state name in the ASL; keys the local runner's overrides. */
  readonly state: string;
  /** Module under `functions/` (without extension) exporting `handler`. */
  readonly functionModule: string;
  /** Placeholder in the ASL filled with the function's ARN (`${...}`). */
  readonly arnSubstitution: string;
}

/** One workflow: its ASL file and the tasks it calls. Read by `infra/` and `local/` alike. */
export interface WorkflowDefinition {
  readonly name: string;
  /** Absolute path of the ASL (JSONPath) file. */
  readonly aslPath: string;
  readonly tasks: readonly WorkflowTask[];
}

const task = (state: string, functionModule: string): WorkflowTask => ({
  state,
  functionModule,
  arnSubstitution: `${state}FunctionArn`,
});

/** Roster ingest, started by an object created under `incoming/`. */
export const INGEST_WORKFLOW: WorkflowDefinition = {
  name: 'ingest',
  aslPath: new URL('./ingest.asl.json', import.meta.url).pathname,
  tasks: [
    task('RegisterUpload', 'register-upload'),
    task('ValidateRoster', 'validate-roster'),
    task('RecordOutcome', 'record-outcome'),
    task('RecordFailure', 'record-failure'),
  ],
};

/** Month report over the current file of every batch, started explicitly for a month. */
export const MONTH_REPORT_WORKFLOW: WorkflowDefinition = {
  name: 'month-report',
  aslPath: new URL('./month-report.asl.json', import.meta.url).pathname,
  tasks: [task('WriteMonthReport', 'write-month-report')],
};

export const WORKFLOWS: readonly WorkflowDefinition[] = [INGEST_WORKFLOW, MONTH_REPORT_WORKFLOW];

/** The ASL text with its `${...}` placeholders, exactly as deployed. */
export function readDefinition(workflow: WorkflowDefinition): string {
  return readFileSync(workflow.aslPath, 'utf8');
}

/** The ASL with every placeholder replaced, as Step Functions sees it after substitution. */
export function resolveDefinition(
  workflow: WorkflowDefinition,
  substitutions: Record<string, string>,
): unknown {
  const text = readDefinition(workflow).replace(/\$\{(\w+)\}/g, (_, name: string) => {
    const value = substitutions[name];
    if (value === undefined) throw new Error(`No substitution for \${${name}} in ${workflow.aslPath}`);
    return value;
  });
  return JSON.parse(text);
}
