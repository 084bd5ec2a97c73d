import { Duration, Size } from 'aws-cdk-lib';
import { monthMetrics, monthPage } from '#schemas/bucket-layout.ts';
import type {
  CaseTableAccess,
  StateTableAccess,
  TaskCallbackAction,
} from './constructs/payguard-function.ts';

/**
 * Sizing and least-privilege access of one function module; its data-bucket access is declared
 * by key family in `pipelines/bucket-access.ts`, where the local engine reads it too.
 */
export interface FunctionProfile {
  readonly description: string;
  readonly memorySize: number;
  /** Kept below the calling Task state's `TimeoutSeconds`, so a slow run fails as a Lambda error. */
  readonly timeout: Duration;
  /**
   * Size of `/tmp`, for the functions that stage datasets: staging spills its rows there beyond
   * `SPILL_AT_BYTES` (`usecases/stage-dataset.ts`), about the staged size of the largest dataset
   * (a province's social-insurance months are ~4 GB).
   * @default - Lambda's 512 MiB
   */
  readonly scratch?: Size;
  /** @default - no access to the run-state table */
  readonly stateTable?: StateTableAccess;
  /** @default - no access to the case table */
  readonly cases?: CaseTableAccess;
  /** Whether the function appends to the audit trail (PutItem only). @default false */
  readonly audit?: boolean;
  /**
   * Whether the function splits a month into partitions and so reads `PARTITION_ROWS`
   * (set from the `payguard:partitionRows` context, see `infra/partition-rows.ts`).
   * @default false
   */
  readonly partitionRows?: boolean;
  /**
   * The task-token calls the function makes to end `.waitForTaskToken` steps of the month run.
   * @default - none
   */
  readonly taskCallbacks?: readonly TaskCallbackAction[];
  /**
   * Whether the function sends e-mail through SES as `MAIL_FROM` (context `payguard:mailFrom`).
   * @default false
   */
  readonly sendsMail?: boolean;
  /**
   * Whether the function reads `PAYGUARD_CONTACTS` (context `payguard:contacts`).
   * @default false
   */
  readonly contacts?: boolean;
  /**
   * Whether the function signs or checks approval links: reads the link-signing secret
   * (`APPROVAL_LINK_SECRET_ARN`) and knows the approval site's URL (`APPROVAL_BASE_URL`).
   * @default false
   */
  readonly approvalLinks?: boolean;
}

/** `/tmp` of the functions that stage datasets (see {@link FunctionProfile.scratch}): Lambda's most. */
const STAGING_SCRATCH = Size.gibibytes(10);

/** Memory of the month-run and dataset functions that hold a whole partition or dataset in memory. */
const LARGE_MEMORY = 3008;

/** Below the 900 s `TimeoutSeconds` of the long Task states. */
const LONG_TIMEOUT = Duration.minutes(14);

/** Below the 60 s `TimeoutSeconds` of the short Task states. */
const SHORT_TIMEOUT = Duration.seconds(30);

/**
 * Functions of `.waitForTaskToken` states: the state waits days for the callback, the function
 * only records the wait and sends mail, so it stays short.
 */
const CALLBACK_TIMEOUT = Duration.seconds(60);

/** Below the 120 s `TimeoutSeconds` of HoldMonth and NotifyBureau. */
const NOTICE_TIMEOUT = Duration.seconds(60);

/** Below the 30 s integration timeout of an API Gateway HTTP API, so the page answers, not the gateway. */
const HTTP_TIMEOUT = Duration.seconds(25);

/**
 * What each module under `functions/` gets, keyed by the `functionModule` of `pipelines/workflows.ts`
 * (and the modules of `pipelines/standalone-functions.ts`, which no workflow calls: the approval
 * site's function, the decision-delivery sweep and the link secret's rotation function).
 */
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
  },
  'record-outcome': {
    description:
      "RecordOutcome: makes a validated upload its batch's current file; mails a rejection to its town",
    memorySize: 256,
    timeout: SHORT_TIMEOUT,
    stateTable: 'readWrite',
    audit: true,
    sendsMail: true,
    contacts: true,
  },
  'record-upload-failure': {
    description:
      'RecordFailure: records why an upload could not be checked and tells its town and the bureau',
    memorySize: 256,
    timeout: SHORT_TIMEOUT,
    stateTable: 'readWrite',
    audit: true,
    sendsMail: true,
    contacts: true,
  },
  'check-month-complete': {
    description: 'CheckMonthComplete: whether every expected batch of the month has an accepted file',
    memorySize: 512,
    timeout: SHORT_TIMEOUT,
    stateTable: 'read',
  },
  // month-run
  'prepare-month-run': {
    description:
      "PrepareMonthRun: fixes the month's inputs, stages changed datasets, splits the month into partitions",
    memorySize: LARGE_MEMORY,
    timeout: LONG_TIMEOUT,
    scratch: STAGING_SCRATCH,
    stateTable: 'read',
    audit: true,
    partitionRows: true,
  },
  // The shared-account pass: one account partition's accounts of the month, like a partition's check.
  'find-shared-accounts': {
    description:
      'FindPartitionSharedAccounts: finds the accounts of two or more households among one account partition of the month',
    memorySize: LARGE_MEMORY,
    timeout: LONG_TIMEOUT,
  },
  'merge-shared-accounts': {
    description: "MergeSharedAccounts: joins the account partitions' shared accounts into the month's",
    memorySize: 1024,
    timeout: LONG_TIMEOUT,
  },
  'check-partition': {
    description: 'CheckPartition: checks one partition of the month against the registry and partner data',
    memorySize: LARGE_MEMORY,
    timeout: LONG_TIMEOUT,
  },
  'write-month-findings': {
    description:
      'WriteMonthFindings: merges the partition findings into findings.csv, findings.arrow and summary.json',
    memorySize: 1024,
    timeout: LONG_TIMEOUT,
    audit: true,
  },
  'open-month-cases': {
    description:
      'OpenMonthCases: opens a town case for every finding of contract 3.2 and 3.3 (REVIEW findings cleared earlier on the same evidence are not reopened)',
    memorySize: 1024,
    timeout: LONG_TIMEOUT,
    cases: 'readWrite',
    audit: true,
  },
  // month-run: approval, release and close-out
  'prepare-release': {
    description:
      'PrepareRelease: writes the release candidate and the approval view of a checked month under its run prefix',
    // The month's staged rosters and its findings in memory at once.
    memorySize: LARGE_MEMORY,
    timeout: LONG_TIMEOUT,
  },
  'request-approval': {
    description:
      'RequestApproval (waits for a task token): stores the approval request and mails each approver a signed link',
    memorySize: 256,
    timeout: CALLBACK_TIMEOUT,
    stateTable: 'readWrite',
    audit: true,
    // Fails the step of an older request of the same month, which this one supersedes.
    taskCallbacks: ['states:SendTaskFailure'],
    sendsMail: true,
    contacts: true,
    approvalLinks: true,
  },
  'hold-month': {
    description: 'HoldMonth: holds a rejected or unapproved month and tells the towns and the bureau why',
    memorySize: 256,
    timeout: NOTICE_TIMEOUT,
    audit: true,
    sendsMail: true,
    contacts: true,
  },
  'release-month': {
    description:
      'ReleaseMonth: re-checks deaths and the approved content, then writes release.csv once per month',
    memorySize: LARGE_MEMORY,
    timeout: LONG_TIMEOUT,
    scratch: STAGING_SCRATCH,
    stateTable: 'readWrite',
    audit: true,
  },
  'await-bank-returns': {
    description:
      'AwaitBankReturns (waits for a task token): parks the released month until its bank return files land',
    memorySize: 256,
    timeout: CALLBACK_TIMEOUT,
    stateTable: 'readWrite',
    audit: true,
    // Resumes at once when unreconciled files are already there.
    taskCallbacks: ['states:SendTaskSuccess'],
  },
  'close-out-month': {
    description: "CloseOut: reconciles the month's release with the bank's return files",
    // A 1M-payment month with a 1M-line bank file needs a ~2 GB heap (bench: peak RSS 2.4 GB).
    memorySize: LARGE_MEMORY,
    timeout: LONG_TIMEOUT,
    audit: true,
  },
  'record-month-failure': {
    description: 'RecordMonthFailure: records why a month could not be checked',
    memorySize: 256,
    timeout: SHORT_TIMEOUT,
    audit: true,
  },
  // bank-returns
  'resume-close-out': {
    description: 'ResumeCloseOut: resumes the month waiting for the bank return file that just landed',
    memorySize: 256,
    timeout: SHORT_TIMEOUT,
    // Looks up the month's waiting step by key.
    stateTable: 'get',
    audit: true,
    taskCallbacks: ['states:SendTaskSuccess'],
  },
  // approval site (HTTP API, in no workflow)
  'approval-desk': {
    description:
      "ApprovalDesk: the approval site; GET shows a signed link's release or month page, POST records the decision",
    // GET /report totals the month's release (up to a million rows) per town within the 25 s.
    memorySize: 2048,
    timeout: HTTP_TIMEOUT,
    stateTable: 'readWrite',
    audit: true,
    // Resumes the month-run's RequestApproval step once the decision is final.
    taskCallbacks: ['states:SendTaskSuccess'],
    approvalLinks: true,
  },
  // town desk (HTTP API routes under /desk of the same site, in no workflow)
  'town-desk': {
    description:
      "TownDesk: a town office's desk; opens a signed link once, signs its roster uploads, shows their reports and the month-on-month comparison",
    // Reads two staged rosters of a town for the comparison.
    memorySize: 1024,
    timeout: HTTP_TIMEOUT,
    // Links and sessions (GetItem, PutItem, UpdateItem); the batch's uploads (Query).
    stateTable: 'desk',
    audit: true,
    approvalLinks: true,
    // The town's cases: listed, outcomes saved over the version read, a due replacement opened.
    cases: 'readWrite',
  },
  // invoked by the bureau (in no workflow)
  'issue-desk-links': {
    description:
      'IssueDeskLinks: e-mails each town office its personal desk link for a month, or revokes one',
    memorySize: 256,
    timeout: SHORT_TIMEOUT,
    stateTable: 'readWrite',
    audit: true,
    sendsMail: true,
    contacts: true,
    approvalLinks: true,
  },
  // scheduled every few minutes (in no workflow)
  'deliver-decisions': {
    description:
      'DeliverDecisions: resumes approval steps whose stored decision could not be delivered (SendTaskSuccess failed)',
    memorySize: 256,
    // Each undelivered decision: up to 3 attempts 2.5 s apart; a handful at a time.
    timeout: Duration.seconds(120),
    stateTable: 'sweep',
    audit: true,
    taskCallbacks: ['states:SendTaskSuccess'],
  },
  // invoked by Secrets Manager (the link secret's rotation schedule)
  'rotate-link-secret': {
    description:
      'RotateLinkSecret: rotates the approval-link signing key (createSecret, setSecret, testSecret, finishSecret)',
    memorySize: 256,
    timeout: SHORT_TIMEOUT,
  },
  // month-watch (scheduled monthly, see infra/month-watch-schedule.ts)
  'compute-month-metrics': {
    description: `ComputeMetrics: per-town indicators of the month (release or candidate) into ${monthMetrics.template}`,
    // The month's release (up to a million rows) parsed in memory at once.
    memorySize: LARGE_MEMORY,
    timeout: LONG_TIMEOUT,
  },
  'detect-month-anomalies': {
    description:
      "DetectAnomalies: each town's indicators against its own history and the other towns (anomalies.csv)",
    memorySize: 512,
    timeout: LONG_TIMEOUT,
    audit: true,
  },
  'draw-month-sample': {
    description: "DrawSample: the month's seeded, stratified home-visit sample (sample.csv)",
    // The month's valid rows (up to a million) from the staged rosters, with its findings.
    memorySize: LARGE_MEMORY,
    timeout: LONG_TIMEOUT,
    audit: true,
  },
  'open-visit-cases': {
    description: "OpenVisitCases: opens a visit case for every household of the month's home-visit sample",
    memorySize: 512,
    timeout: LONG_TIMEOUT,
    cases: 'readWrite',
    audit: true,
  },
  'write-month-page': {
    description: `WriteMonthPage: the month page for a person (${monthPage.template}) and cases.csv`,
    // Totals the month's release (up to a million rows) per town.
    memorySize: 2048,
    timeout: LONG_TIMEOUT,
    cases: 'read',
    audit: true,
  },
  'notify-bureau': {
    description: 'NotifyBureau: tells the bureau which towns the month watch flagged, and why',
    memorySize: 256,
    timeout: NOTICE_TIMEOUT,
    cases: 'read',
    sendsMail: true,
    contacts: true,
  },
  // the desk, or a schedule, after officers worked cases (in no workflow)
  'write-case-outputs': {
    description: `WriteCaseOutputs: rewrites cases.csv and the month page (${monthPage.template}) from the cases as they stand`,
    memorySize: 2048,
    timeout: LONG_TIMEOUT,
    cases: 'read',
    audit: true,
  },
  // dataset-ingest
  'stage-dataset-on-arrival': {
    description: 'StageDataset: validates and stages a reference, register or partner dataset',
    memorySize: LARGE_MEMORY,
    timeout: LONG_TIMEOUT,
    scratch: STAGING_SCRATCH,
    audit: true,
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
