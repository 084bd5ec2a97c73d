import { Duration } from 'aws-cdk-lib';
import type { BucketAccess, StateTableAccess } from './constructs/payguard-function.ts';

/** Sizing and least-privilege access of one function module. */
export interface FunctionProfile {
  readonly description: string;
  readonly memorySize: number;
  /** Kept below the calling Task state's `TimeoutSeconds`, so a slow run fails as a Lambda error. */
  readonly timeout: Duration;
  /** @default - no access to the run-state table */
  readonly stateTable?: StateTableAccess;
  /** Whether the function appends to the audit trail (PutItem only). @default false */
  readonly audit?: boolean;
  /** @default - no access to the data bucket */
  readonly bucket?: BucketAccess;
  /**
   * Whether the function splits a month into partitions and so reads `PARTITION_ROWS`
   * (set from the `payguard:partitionRows` context, see `infra/partition-rows.ts`).
   * @default false
   */
  readonly partitionRows?: boolean;
}

/** Memory of the month-run and dataset functions that hold a whole partition or dataset in memory. */
const LARGE_MEMORY = 3008;

/** Below the 900 s `TimeoutSeconds` of the long Task states. */
const LONG_TIMEOUT = Duration.minutes(14);

/** Below the 60 s `TimeoutSeconds` of the short Task states. */
const SHORT_TIMEOUT = Duration.seconds(30);

/** What each module under `functions/` gets, keyed by the `functionModule` of `pipelines/workflows.ts`. */
export const FUNCTION_PROFILES: Readonly<Record<string, FunctionProfile>> = {
  // ingest
  'register-upload': {
    description: 'RegisterUpload: records an uploaded roster and decides whether to validate it',
    memorySize: 256,
    timeout: SHORT_TIMEOUT,
    stateTable: 'readWrite',
    audit: true,
  },
  'validate-roster': {
    description: 'ValidateRoster: validates one roster row by row, stages its valid rows, writes its reports',
    memorySize: 2048,
    timeout: LONG_TIMEOUT,
    bucket: { read: ['incoming/', 'reference/'], write: ['staged/', 'reports/'] },
  },
  'record-outcome': {
    description: "RecordOutcome: makes a validated upload its batch's current file",
    memorySize: 256,
    timeout: SHORT_TIMEOUT,
    stateTable: 'readWrite',
    audit: true,
  },
  'record-failure': {
    description: 'RecordFailure: records why an upload could not be checked',
    memorySize: 256,
    timeout: SHORT_TIMEOUT,
    stateTable: 'readWrite',
    audit: true,
  },
  'check-month-complete': {
    description: 'CheckMonthComplete: whether every expected batch of the month has an accepted file',
    memorySize: 512,
    timeout: SHORT_TIMEOUT,
    stateTable: 'read',
    // config/pipeline.json names the expected batches; without it, reference/towns.csv does.
    bucket: { read: ['config/', 'reference/'] },
  },
  // month-run
  'prepare-month-run': {
    description:
      "PrepareMonthRun: fixes the month's inputs, stages changed datasets, splits the month into partitions",
    memorySize: LARGE_MEMORY,
    timeout: LONG_TIMEOUT,
    stateTable: 'read',
    audit: true,
    bucket: {
      read: ['config/', 'reference/', 'registers/', 'partners/', 'staged/', 'reports/'],
      // Dataset snapshots under staged/, the run's manifest and shared inputs under reports/.
      write: ['staged/', 'reports/'],
    },
    partitionRows: true,
  },
  'check-partition': {
    description: 'CheckPartition: checks one partition of the month against the registry and partner data',
    memorySize: LARGE_MEMORY,
    timeout: LONG_TIMEOUT,
    bucket: { read: ['staged/', 'reports/'], write: ['reports/'] },
  },
  'write-month-report': {
    description:
      'WriteMonthReport: merges the partition findings into findings.csv, findings.arrow and summary.json',
    memorySize: 1024,
    timeout: LONG_TIMEOUT,
    audit: true,
    bucket: { read: ['reports/'], write: ['reports/'] },
  },
  'record-month-failure': {
    description: 'RecordMonthFailure: records why a month could not be checked',
    memorySize: 256,
    timeout: SHORT_TIMEOUT,
    audit: true,
  },
  // dataset-ingest
  'stage-dataset': {
    description: 'StageDataset: validates and stages a reference, register or partner dataset',
    memorySize: LARGE_MEMORY,
    timeout: LONG_TIMEOUT,
    audit: true,
    bucket: { read: ['reference/', 'registers/', 'partners/', 'staged/'], write: ['staged/'] },
  },
  'record-dataset-failure': {
    description: 'RecordDatasetFailure: records why a dataset file cannot be used',
    memorySize: 256,
    timeout: SHORT_TIMEOUT,
    audit: true,
  },
};

/** The profile of `functionModule`; throws when a workflow task names a module without one. */
export function profileOf(functionModule: string): FunctionProfile {
  const profile = FUNCTION_PROFILES[functionModule];
  if (!profile) {
    throw new Error(
      `No function profile for "${functionModule}" (a task in pipelines/workflows.ts uses it); ` +
        `add its sizing and access to FUNCTION_PROFILES in infra/function-profiles.ts`,
    );
  }
  return profile;
}
