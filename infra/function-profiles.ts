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
}

/** What each module under `functions/` gets, keyed by the `functionModule` of `pipelines/workflows.ts`. */
export const FUNCTION_PROFILES: Readonly<Record<string, FunctionProfile>> = {
  'register-upload': {
    description: 'RegisterUpload: records an uploaded roster and decides whether to validate it',
    memorySize: 256,
    timeout: Duration.seconds(30),
    stateTable: 'readWrite',
    audit: true,
  },
  'validate-roster': {
    description: 'ValidateRoster: validates one roster row by row, stages its valid rows, writes its reports',
    memorySize: 2048,
    timeout: Duration.minutes(14),
    bucket: { read: ['incoming/', 'reference/'], write: ['staged/', 'reports/'] },
  },
  'record-outcome': {
    description: "RecordOutcome: makes a validated upload its batch's current file",
    memorySize: 256,
    timeout: Duration.seconds(30),
    stateTable: 'readWrite',
    audit: true,
  },
  'record-failure': {
    description: 'RecordFailure: records why an upload could not be checked',
    memorySize: 256,
    timeout: Duration.seconds(30),
    stateTable: 'readWrite',
    audit: true,
  },
  'write-month-report': {
    description: 'WriteMonthReport: writes findings.csv and summary.json of a month',
    memorySize: 1024,
    timeout: Duration.minutes(14),
    stateTable: 'read',
    audit: true,
    bucket: { read: ['reports/', 'staged/'], write: ['reports/'] },
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
