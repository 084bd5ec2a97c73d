import {
  accountMapRunResults,
  anomaliesCsv,
  anomaliesJson,
  approvalView,
  bankReturnFile,
  casesCsv,
  closeoutCsv,
  closeoutJson,
  datasetFile,
  datasetShard,
  datasetSnapshot,
  findingsArrow,
  findingsCsv,
  type KeyScope,
  mapRunResults,
  matchesPattern,
  monthMetrics,
  monthPage,
  monthSummary,
  partitionFindings,
  partnerFile,
  pipelineConfig,
  readableValidationReport,
  registerFile,
  registryFile,
  reissueCsv,
  releaseCandidate,
  releaseFile,
  releaseManifest,
  releaseTotals,
  rosterAccountShard,
  rosterIdShard,
  rosterShards,
  rosterUpload,
  runAccountPartitionItems,
  runManifest,
  runPartitionItems,
  runReleaseCandidate,
  runReleaseTotals,
  runSharedAccounts,
  sampleCsv,
  sampleJson,
  sharedAccountsPart,
  stagedRoster,
  townsFile,
  uploadFindings,
  validationReport,
} from '#schemas/bucket-layout.ts';

/**
 * What one function may do with the data bucket, by key family (`schemas/bucket-layout.ts`).
 * The stack's IAM grants and the embedded stack's guard are both derived from it
 * ({@link bucketGrantsOf}), so a key a function uses without declaring it fails locally as it
 * would in AWS.
 */
export interface BucketAccess {
  /** Objects it reads (`s3:GetObject`). @default - none */
  readonly read?: readonly KeyScope[];
  /** Objects it writes (`s3:PutObject`). @default - none */
  readonly write?: readonly KeyScope[];
  /** Families it lists by their folder (`s3:ListBucket`). @default - none */
  readonly list?: readonly KeyScope[];
}

/** The IAM patterns a {@link BucketAccess} grants, as `bindBucket` writes them into the role. */
export interface BucketGrants {
  /** Object keys of `s3:GetObject`. */
  readonly getObject: readonly string[];
  /** Object keys of `s3:PutObject`. */
  readonly putObject: readonly string[];
  /**
   * The `s3:prefix` values `s3:ListBucket` is limited to: the folders listed, and every key
   * read — S3 decides between 404 and 403 for a missing key by whether `s3:ListBucket` holds
   * with that key as `s3:prefix`, and a read of an absent file must stay "absent".
   */
  readonly listPrefixes: readonly string[];
}

/** The function module serving the approval site (an HTTP API; in no workflow). */
export const APPROVAL_DESK_MODULE = 'approval-desk';

/** The function module serving the town desk (routes under `/desk` of the same site; in no workflow). */
export const TOWN_DESK_MODULE = 'town-desk';

/**
 * The function that rewrites `cases.csv` and the month page from the cases as officers left them
 * (the desk after its changes, or a schedule); in no workflow.
 */
export const WRITE_CASE_OUTPUTS_MODULE = 'write-case-outputs';

/** Every file the reference, register and partner datasets are staged from (contract 2.3). */
const DATASET_SOURCES = [registryFile, registerFile, partnerFile];

/** The death and cremation records, all the release re-checks. */
const DEATH_SOURCES = ['deaths', 'cremations'].map((dataset) => partnerFile.where({ dataset }));
const DEATH_STAGING = ['deaths', 'cremations'].flatMap((dataset) => [
  datasetSnapshot.where({ dataset }),
  datasetFile.where({ dataset }),
  datasetShard.where({ dataset }),
]);

/** What the month page reads (WriteMonthPage and the approval site's `/report`). */
const MONTH_PAGE_INPUTS = [
  monthSummary,
  approvalView,
  releaseFile,
  releaseTotals,
  releaseCandidate,
  anomaliesJson,
  sampleJson,
  townsFile,
];

/**
 * The bucket access of each module under `functions/`, keyed by the `functionModule` of
 * `pipelines/workflows.ts` (and {@link APPROVAL_DESK_MODULE}). A module not listed has none.
 */
export const BUCKET_ACCESS: Readonly<Record<string, BucketAccess>> = {
  // ingest
  'validate-roster': {
    read: [rosterUpload, townsFile],
    write: [
      stagedRoster,
      rosterShards,
      rosterIdShard,
      rosterAccountShard,
      validationReport,
      uploadFindings,
      readableValidationReport,
    ],
  },
  // A rejected upload's readable report goes to its town office by e-mail.
  'record-outcome': { read: [readableValidationReport] },
  // config/pipeline.json names the expected batches; without it, last month's uploads (state table) do.
  'check-month-complete': { read: [pipelineConfig] },
  // month-run
  'prepare-month-run': {
    // The shard manifests of the accepted uploads.
    read: [pipelineConfig, ...DATASET_SOURCES, datasetSnapshot, datasetFile, rosterShards],
    list: DATASET_SOURCES,
    // The changed datasets' snapshots, then the run's manifest and the items of its two distributed Maps.
    write: [
      datasetSnapshot,
      datasetFile,
      datasetShard,
      runManifest,
      runAccountPartitionItems,
      runPartitionItems,
    ],
  },
  // One account partition of the shared-account pass: its accounts' shards of every accepted upload.
  'find-shared-accounts': { read: [runManifest, rosterAccountShard], write: [sharedAccountsPart] },
  // The account partitions' parts, joined into the month's shared accounts.
  'merge-shared-accounts': { read: [runManifest, sharedAccountsPart], write: [runSharedAccounts] },
  // Reads its people's rows straight from the staged shards the run manifest names.
  'check-partition': {
    read: [runManifest, rosterIdShard, datasetShard, runSharedAccounts],
    write: [partitionFindings],
  },
  // The partitions' results, from the files the distributed Map's ResultWriter wrote.
  'write-month-findings': {
    read: [runManifest, validationReport, uploadFindings, partitionFindings, mapRunResults],
    write: [findingsCsv, findingsArrow, monthSummary],
  },
  // An item that failed: the real cause, from the FAILED results of the run's map runs.
  'record-month-failure': {
    read: [accountMapRunResults, mapRunResults],
    list: [accountMapRunResults, mapRunResults],
  },
  'open-month-cases': { read: [findingsArrow] },
  // The run's candidate is read back as it is copied to the month's latest one.
  'prepare-release': {
    read: [runManifest, pipelineConfig, townsFile, stagedRoster, findingsArrow, runReleaseCandidate],
    write: [runReleaseCandidate, runReleaseTotals, releaseCandidate, approvalView],
  },
  'hold-month': { read: [monthSummary], write: [monthSummary] },
  // The only writer of the release: re-checks deaths against the newest records, then releases.
  'release-month': {
    // The release and its manifest are read back so that a re-run after a crash does not write them again.
    read: [
      runManifest,
      runReleaseCandidate,
      runReleaseTotals,
      monthSummary,
      releaseFile,
      releaseManifest,
      releaseTotals,
      ...DEATH_SOURCES,
      ...DEATH_STAGING,
    ],
    list: DEATH_SOURCES,
    write: [...DEATH_STAGING, releaseFile, releaseManifest, releaseTotals, monthSummary],
  },
  // Compares the month's bank return files with the last closeout.json.
  'await-bank-returns': { read: [closeoutJson], list: [bankReturnFile] },
  'close-out-month': {
    read: [releaseFile, bankReturnFile, closeoutJson, reissueCsv, monthSummary],
    list: [bankReturnFile],
    write: [closeoutCsv, reissueCsv, closeoutJson, monthSummary],
  },
  // approval site: the approval view of a link's request, and the month page.
  [APPROVAL_DESK_MODULE]: { read: MONTH_PAGE_INPUTS },
  // town desk: signs PUTs of its town's rosters (only the desk's own session scopes them to one
  // town: IAM cannot), reads its uploads' reports and the staged rosters it compares.
  // config/pipeline.json gives the days after which a case is overdue.
  [TOWN_DESK_MODULE]: {
    read: [readableValidationReport, stagedRoster, pipelineConfig],
    write: [rosterUpload],
  },
  // month-watch
  'compute-month-metrics': {
    read: [releaseFile, releaseCandidate, releaseManifest, releaseTotals, townsFile, monthMetrics],
    write: [monthMetrics],
  },
  // Lists metrics/ for the trailing months.
  'detect-month-anomalies': {
    read: [monthMetrics],
    list: [monthMetrics],
    write: [anomaliesCsv, anomaliesJson],
  },
  'draw-month-sample': {
    read: [monthSummary, runManifest, stagedRoster, findingsArrow, sampleCsv, sampleJson],
    write: [sampleCsv, sampleJson],
  },
  'open-visit-cases': { read: [sampleJson] },
  'write-month-page': { read: [...MONTH_PAGE_INPUTS, pipelineConfig], write: [monthPage, casesCsv] },
  'notify-bureau': { read: [anomaliesJson, pipelineConfig] },
  // the desk or a schedule, after officers worked cases
  [WRITE_CASE_OUTPUTS_MODULE]: { read: [...MONTH_PAGE_INPUTS, pipelineConfig], write: [monthPage, casesCsv] },
  // dataset-ingest
  'stage-dataset-on-arrival': {
    read: [...DATASET_SOURCES, datasetSnapshot, datasetFile],
    list: DATASET_SOURCES,
    write: [datasetSnapshot, datasetFile, datasetShard],
  },
};

/** The bucket access of `functionModule`; `undefined` when it has none. */
export function bucketAccessOf(functionModule: string): BucketAccess | undefined {
  return BUCKET_ACCESS[functionModule];
}

const unique = (patterns: readonly string[]) => [...new Set(patterns)];

/**
 * The IAM patterns of `access`.
 * @throws Error when a listed family is not listed by a folder (see `keyFamily`).
 */
export function bucketGrantsOf(access: BucketAccess): BucketGrants {
  const read = (access.read ?? []).map((s) => s.pattern);
  const listed = (access.list ?? []).map((s) => {
    if (s.folderPattern === undefined) {
      throw new Error(`${s.description} is not listed by a folder; grant read on it instead of list`);
    }
    return s.folderPattern;
  });
  return {
    getObject: unique(read),
    putObject: unique((access.write ?? []).map((s) => s.pattern)),
    listPrefixes: unique([...listed, ...read]),
  };
}

/** An S3 permission a request needs. */
export type BucketAction = 's3:GetObject' | 's3:PutObject' | 's3:ListBucket';

/**
 * Whether `grants` allow `action` on `key` (for `s3:ListBucket`: the listing's prefix), as IAM
 * decides it from the patterns {@link bucketGrantsOf} gives.
 */
export function grantsAllow(grants: BucketGrants, action: BucketAction, key: string): boolean {
  const patterns =
    action === 's3:GetObject'
      ? grants.getObject
      : action === 's3:PutObject'
        ? grants.putObject
        : grants.listPrefixes;
  return patterns.some((pattern) => matchesPattern(pattern, key));
}

/**
 * What a state machine itself does with the data bucket, beside its functions: the objects its
 * distributed Map states read with their ItemReader (`arn:aws:states:::s3:getObject`) and the
 * prefixes their ResultWriter (`arn:aws:states:::s3:putObject`) writes the map run's results under.
 * The state machine's role (infra) and the local engine's guard are both derived from it.
 */
export interface WorkflowBucketAccess {
  /** Objects an ItemReader reads. @default - none */
  readonly itemReader?: readonly KeyScope[];
  /** Key families a ResultWriter writes. @default - none */
  readonly resultWriter?: readonly KeyScope[];
}

/** The bucket access of each workflow's own state machine, by `name` of `pipelines/workflows.ts`. */
export const WORKFLOW_BUCKET_ACCESS: Readonly<Record<string, WorkflowBucketAccess>> = {
  'month-run': {
    itemReader: [runAccountPartitionItems, runPartitionItems],
    resultWriter: [accountMapRunResults, mapRunResults],
  },
};

/** The bucket access of the state machine of `workflow`; `undefined` when it has none. */
export function workflowBucketAccessOf(workflow: string): WorkflowBucketAccess | undefined {
  return WORKFLOW_BUCKET_ACCESS[workflow];
}

/**
 * The requests a state machine with `access` makes, as a {@link BucketAccess} the guard checks:
 * the ItemReader's objects read; the ResultWriter's written, and read back (the AWS policy for
 * ResultWriter grants `s3:GetObject` on them too).
 */
export function stateMachineBucketAccess(access: WorkflowBucketAccess): BucketAccess {
  const written = access.resultWriter ?? [];
  return { read: [...(access.itemReader ?? []), ...written], write: written };
}
