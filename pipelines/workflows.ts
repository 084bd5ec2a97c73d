import { readFileSync } from 'node:fs';

/** A Lambda-backed Task state of a workflow and the function that serves it. */
export interface WorkflowTask {
  /** PascalCase state name in the ASL; keys the local runner's overrides. */
  readonly state: string;
  /** Module under `functions/` (without extension) exporting `handler`. */
  readonly functionModule: string;
  /** Placeholder in the ASL filled with the function's ARN (`${...}`). */
  readonly arnSubstitution: string;
  /**
   * The state waits for a task token (`lambda:invoke.waitForTaskToken`): the function is given
   * the token and the step ends when someone calls SendTaskSuccess / SendTaskFailure with it.
   */
  readonly waitsForTaskToken?: boolean;
}

/** A Task state that starts another workflow (`arn:aws:states:::states:startExecution`). */
export interface WorkflowStart {
  readonly state: string;
  /** `name` of the workflow it starts. */
  readonly workflow: string;
  /** Placeholder in the ASL filled with that state machine's ARN. */
  readonly arnSubstitution: string;
}

/** One workflow: its ASL file and the tasks it calls. Read by `infra/` and `local/` alike. */
export interface WorkflowDefinition {
  readonly name: string;
  /** Absolute path of the ASL (JSONPath) file. */
  readonly aslPath: string;
  readonly tasks: readonly WorkflowTask[];
  /** @default - starts no other workflow */
  readonly starts?: readonly WorkflowStart[];
}

const task = (state: string, functionModule: string, waitsForTaskToken = false): WorkflowTask => ({
  state,
  functionModule,
  arnSubstitution: `${state}FunctionArn`,
  ...(waitsForTaskToken ? { waitsForTaskToken } : {}),
});

/**
 * A month from the checks to its close: the checks over the current file of every batch
 * (contract 3.3), the approval gate, the release and the close-out against the bank's returns
 * (3.4). Started by ingest when every expected batch is accepted, or explicitly.
 */
export const MONTH_RUN_WORKFLOW: WorkflowDefinition = {
  name: 'month-run',
  aslPath: new URL('./month-run.asl.json', import.meta.url).pathname,
  tasks: [
    task('PrepareMonthRun', 'prepare-month-run'),
    task('FindPartitionSharedAccounts', 'find-shared-accounts'),
    task('MergeSharedAccounts', 'merge-shared-accounts'),
    task('CheckPartition', 'check-partition'),
    task('WriteMonthFindings', 'write-month-findings'),
    task('OpenMonthCases', 'open-month-cases'),
    task('PrepareRelease', 'prepare-release'),
    task('RequestApproval', 'request-approval', true),
    task('HoldMonth', 'hold-month'),
    task('ReleaseMonth', 'release-month'),
    task('AwaitBankReturns', 'await-bank-returns', true),
    task('CloseOut', 'close-out-month'),
    task('RecordMonthFailure', 'record-month-failure'),
  ],
};

/** Roster ingest, started by an object created under `incoming/`. */
export const INGEST_WORKFLOW: WorkflowDefinition = {
  name: 'ingest',
  aslPath: new URL('./ingest.asl.json', import.meta.url).pathname,
  tasks: [
    task('RegisterUpload', 'register-upload'),
    task('ValidateRoster', 'validate-roster'),
    task('RecordOutcome', 'record-outcome'),
    task('RecordFailure', 'record-upload-failure'),
    task('CheckMonthComplete', 'check-month-complete'),
  ],
  starts: [
    { state: 'StartMonthRun', workflow: MONTH_RUN_WORKFLOW.name, arnSubstitution: 'MonthRunStateMachineArn' },
  ],
};

/** Reference, register and partner datasets, staged when one of their files lands. */
export const DATASET_INGEST_WORKFLOW: WorkflowDefinition = {
  name: 'dataset-ingest',
  aslPath: new URL('./dataset-ingest.asl.json', import.meta.url).pathname,
  tasks: [
    task('StageDataset', 'stage-dataset-on-arrival'),
    task('RecordDatasetFailure', 'record-dataset-failure'),
  ],
};

/** A bank return file landed: resume the month waiting for it. */
export const BANK_RETURNS_WORKFLOW: WorkflowDefinition = {
  name: 'bank-returns',
  aslPath: new URL('./bank-returns.asl.json', import.meta.url).pathname,
  tasks: [task('ResumeCloseOut', 'resume-close-out')],
};

/**
 * The month watch, started monthly by EventBridge Scheduler (or by hand): per-town indicators,
 * anomalies against each town's history and the other towns, the home-visit sample, the month
 * report and a notice to the bureau.
 */
export const MONTH_WATCH_WORKFLOW: WorkflowDefinition = {
  name: 'month-watch',
  aslPath: new URL('./month-watch.asl.json', import.meta.url).pathname,
  tasks: [
    task('ComputeMetrics', 'compute-month-metrics'),
    task('DetectAnomalies', 'detect-month-anomalies'),
    task('DrawSample', 'draw-month-sample'),
    task('OpenVisitCases', 'open-visit-cases'),
    task('WriteMonthPage', 'write-month-page'),
    task('NotifyBureau', 'notify-bureau'),
  ],
};

export const WORKFLOWS: readonly WorkflowDefinition[] = [
  MONTH_RUN_WORKFLOW,
  INGEST_WORKFLOW,
  DATASET_INGEST_WORKFLOW,
  BANK_RETURNS_WORKFLOW,
  MONTH_WATCH_WORKFLOW,
];

/** The ASL text with its `${...}` placeholders, exactly as deployed. */
export function readDefinition(workflow: WorkflowDefinition): string {
  return readFileSync(workflow.aslPath, 'utf8');
}

/** A Task state of a workflow's ASL and the resource it calls. */
export interface AslTaskState {
  readonly state: string;
  /** `Resource` as written, e.g. `arn:aws:states:::lambda:invoke.waitForTaskToken`. */
  readonly resource: string;
}

/** A state of an ASL document, as far as the readers here look into it. */
export interface AslStateDefinition {
  readonly Type?: string;
  readonly Resource?: string;
  readonly ItemProcessor?: AslStates & { readonly ProcessorConfig?: { readonly Mode?: string } };
  readonly Iterator?: AslStates;
  readonly Branches?: readonly AslStates[];
  readonly [field: string]: unknown;
}

interface AslStates {
  readonly States?: Record<string, AslStateDefinition>;
}

/** The nested state lists of a state: its Map item processor (or iterator) and its Parallel branches. */
const innerOf = (definition: AslStateDefinition): AslStates[] =>
  [definition.ItemProcessor, definition.Iterator, ...(definition.Branches ?? [])].flatMap((inner) =>
    inner ? [inner] : [],
  );

function statesIn(machine: AslStates, all: Map<string, AslStateDefinition>): Map<string, AslStateDefinition> {
  for (const [state, definition] of Object.entries(machine.States ?? {})) {
    all.set(state, definition);
    for (const inner of innerOf(definition)) statesIn(inner, all);
  }
  return all;
}

/**
 * Every state of the workflow's ASL by name, the states inside Map item processors and Parallel
 * branches included (state names are unique across a whole state machine).
 */
export function stateDefinitionsOf(workflow: WorkflowDefinition): Map<string, AslStateDefinition> {
  return statesIn(JSON.parse(readDefinition(workflow)) as AslStates, new Map());
}

function tasksIn(machine: AslStates): AslTaskState[] {
  return Object.entries(machine.States ?? {}).flatMap(([state, definition]) => [
    ...(definition.Type === 'Task' ? [{ state, resource: definition.Resource ?? '' }] : []),
    ...innerOf(definition).flatMap(tasksIn),
  ]);
}

/**
 * Every Task state of the workflow's ASL, read from the file itself (the states inside Map item
 * processors and Parallel branches included), in document order.
 */
export function taskStatesOf(workflow: WorkflowDefinition): AslTaskState[] {
  return tasksIn(JSON.parse(readDefinition(workflow)) as AslStates);
}

function distributedMapsIn(machine: AslStates): string[] {
  return Object.entries(machine.States ?? {}).flatMap(([state, definition]) => [
    ...(definition.Type === 'Map' && definition.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED'
      ? [state]
      : []),
    ...innerOf(definition).flatMap(distributedMapsIn),
  ]);
}

/**
 * The Map states of the workflow's ASL in `DISTRIBUTED` mode (each map run starts child executions
 * of the state machine itself), read from the file, in document order.
 */
export function distributedMapsOf(workflow: WorkflowDefinition): string[] {
  return distributedMapsIn(JSON.parse(readDefinition(workflow)) as AslStates);
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
