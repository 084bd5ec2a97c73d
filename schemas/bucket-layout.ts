/**
 * The data bucket's layout (contract 1 and everything the pipeline writes): every key family,
 * spelled once as a template such as `reports/{month}/release.csv`. From its template a family
 * builds a key (`key`), reads one back (`parse`), names its keys as an IAM pattern (`pattern`,
 * used both for object ARNs and `s3:prefix` conditions) and, when the pipeline lists it, builds
 * the folder it is listed by (`folder`). Use cases, the local runner, infra and the benchmarks
 * take their keys from here; `pipelines/bucket-access.ts` grants each function the families it
 * uses.
 */

/** How one `{name}` of a key template is written, read back, and stood for in an IAM pattern. */
export interface KeySegment<T> {
  /** The text the segment may be: a regular-expression source without anchors or capture groups. */
  readonly source: string;
  /** What stands for any value in an IAM pattern: `*`, or one `?` per character of a fixed-width value. */
  readonly glob: string;
  format(value: T): string;
  read(text: string): T;
}

const textSegment = (source: string, glob = '*'): KeySegment<string> => ({
  source,
  glob,
  format: (value) => value,
  read: (text) => text,
});

/** A month, `YYYY-MM` (contract 1): seven characters, so IAM matches it as `????-??`. */
export const MONTH_SEGMENT = textSegment('\\d{4}-(?:0[1-9]|1[0-2])', '????-??');

/** A folder name of the contract: a batch (`[a-z0-9-]+`, contract 1), a dataset or a register. */
export const NAME_SEGMENT = textSegment('[a-z0-9-]+');

/** An id the pipeline derives (upload, run, dataset snapshot): any text without `/`. */
export const ID_SEGMENT = textSegment('[^/]+');

/**
 * A file name as a town, a partner or the bank chose it: any text without `/`. Which files count
 * (not hidden, `.csv` …) is for their readers to decide.
 */
export const FILE_NAME_SEGMENT = textSegment('[^/]+');

/** A month-run partition: its index, written with at least 4 digits (`0007`). */
export const PARTITION_SEGMENT: KeySegment<number> = {
  source: '\\d{4,}',
  glob: '*',
  format: (partition) => String(partition).padStart(4, '0'),
  read: (text) => Number(text),
};

type NamesIn<T extends string> = T extends `${string}{${infer Name}}${infer Rest}`
  ? Name | NamesIn<Rest>
  : never;

type SegmentsFor<T extends string> = { readonly [N in NamesIn<T>]: KeySegment<unknown> };

type ValuesOf<S> = { readonly [N in keyof S]: S[N] extends KeySegment<infer V> ? V : never };

/** The arguments of a builder: none for a template without `{…}`. */
type BuildArgs<P> = keyof P extends never ? [] : [params: P];

/** A set of keys a function may be granted: a family, or a family with some segments fixed. */
export interface KeyScope {
  /** The family's template, with the fixed segments written (e.g. `partners/deaths/{file}`). */
  readonly description: string;
  /**
   * The keys as an IAM pattern: an S3 object ARN's key part, and a value of an `s3:prefix`
   * condition (e.g. `reports/????-??/release.csv`).
   */
  readonly pattern: string;
  /** The IAM pattern of the folder the family is listed by; `undefined` when it is not listed. */
  readonly folderPattern: string | undefined;
}

/** One family of keys of the data bucket. */
export interface KeyFamily<P> extends KeyScope {
  /** E.g. `reports/{month}/release.csv`. */
  readonly template: string;
  /** The top-level folder, e.g. `reports/`. */
  readonly root: string;
  /** How each `{name}` of the template is written and read. */
  readonly segments: { readonly [N in keyof P]: KeySegment<P[N]> };
  /** @throws RangeError when a value is not what its segment may be (see {@link KeySegment.source}). */
  key(...params: BuildArgs<P>): string;
  /** The values `key` was built from, or `undefined` when `key` is not of this family. */
  parse(key: string): P | undefined;
  /**
   * The raw text of each segment when `key` has the template's shape, each segment being any text
   * without `/` (possibly empty), unchecked: for callers that explain why a key is refused.
   */
  shapeOf(key: string): { readonly [N in keyof P]: string } | undefined;
  /** The keys whose segments in `fixed` have those values. */
  where(fixed: Partial<P>): KeyScope;
}

/** A family the pipeline lists, by the folder of its `folder` template. */
export interface ListedKeyFamily<P, F> extends KeyFamily<P> {
  /** E.g. `bank-returns/{month}/`. */
  readonly folderTemplate: string;
  /** The folder a listing names, e.g. `bank-returns/2026-10/`. */
  folder(...params: BuildArgs<F>): string;
}

type Part = { readonly literal: string } | { readonly name: string; readonly segment: KeySegment<unknown> };

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A template compiled into literal and segment parts. */
class Template {
  readonly parts: readonly Part[];
  private readonly exact: RegExp;
  private readonly shape: RegExp;
  private readonly checks = new Map<string, RegExp>();

  constructor(
    readonly text: string,
    segments: Readonly<Record<string, KeySegment<unknown>>>,
  ) {
    this.parts = text.split(/(\{\w+\})/).flatMap((piece): Part[] => {
      if (piece === '') return [];
      const name = /^\{(\w+)\}$/.exec(piece)?.[1];
      if (name === undefined) return [{ literal: piece }];
      const segment = segments[name];
      if (segment === undefined) throw new Error(`${text}: no segment given for {${name}}`);
      this.checks.set(name, new RegExp(`^(?:${segment.source})$`));
      return [{ name, segment }];
    });
    if (/[*?]/.test(text.replace(/\{\w+\}/g, ''))) {
      throw new Error(`${text}: a template's literal text may not hold the IAM wildcards * or ?`);
    }
    const source = (each: (segment: KeySegment<unknown>) => string) =>
      `^${this.parts.map((p) => ('literal' in p ? escapeRegExp(p.literal) : `(${each(p.segment)})`)).join('')}$`;
    this.exact = new RegExp(source((s) => s.source));
    this.shape = new RegExp(source(() => '[^/]*'));
  }

  /** The template with each segment written from `values`, or its glob where it has none. */
  fill(values: Readonly<Record<string, unknown>>, unset: 'glob' | 'throw'): string {
    return this.parts
      .map((part) => {
        if ('literal' in part) return part.literal;
        const value = values[part.name];
        if (value === undefined && unset === 'glob') return part.segment.glob;
        const text = value === undefined ? undefined : part.segment.format(value);
        if (text === undefined || !this.checks.get(part.name)?.test(text)) {
          throw new RangeError(
            `${this.text}: {${part.name}} must match /${part.segment.source}/, got ${JSON.stringify(value)}`,
          );
        }
        return text;
      })
      .join('');
  }

  /** The template with the segments in `values` written, the others left as `{name}`. */
  describe(values: Readonly<Record<string, unknown>>): string {
    return this.parts
      .map((p) => {
        if ('literal' in p) return p.literal;
        const value = values[p.name];
        return value === undefined ? `{${p.name}}` : p.segment.format(value);
      })
      .join('');
  }

  read(key: string): Record<string, unknown> | undefined {
    const match = this.exact.exec(key);
    if (match === null) return undefined;
    const values: Record<string, unknown> = {};
    let group = 1;
    for (const part of this.parts) {
      if ('name' in part) values[part.name] = part.segment.read(match[group++] as string);
    }
    // Only keys the family builds: `00007` reads as partition 7, which is written `0007`.
    return this.fill(values, 'throw') === key ? values : undefined;
  }

  shapeOf(key: string): Record<string, string> | undefined {
    const match = this.shape.exec(key);
    if (match === null) return undefined;
    const texts: Record<string, string> = {};
    let group = 1;
    for (const part of this.parts) if ('name' in part) texts[part.name] = match[group++] as string;
    return texts;
  }
}

function scope(
  template: Template,
  folder: Template | undefined,
  fixed: Readonly<Record<string, unknown>>,
): KeyScope {
  return {
    description: template.describe(fixed),
    pattern: template.fill(fixed, 'glob'),
    folderPattern: folder?.fill(fixed, 'glob'),
  };
}

/**
 * Declares a key family from its template: `{name}` marks a segment, read and written by
 * `segments[name]`. With `folder` (a prefix of the template ending in `/`), the family is listed
 * by that folder.
 */
export function keyFamily<const T extends string, const S extends SegmentsFor<T>>(
  template: T,
  segments: S,
): KeyFamily<ValuesOf<S>>;
export function keyFamily<const T extends string, const S extends SegmentsFor<T>, const F extends string>(
  template: T,
  segments: S,
  folder: F,
): ListedKeyFamily<ValuesOf<S>, ValuesOf<Pick<S, NamesIn<F> & keyof S>>>;
export function keyFamily(
  templateText: string,
  segments: Readonly<Record<string, KeySegment<unknown>>>,
  folderText?: string,
): ListedKeyFamily<Record<string, unknown>, Record<string, unknown>> {
  const template = new Template(templateText, segments);
  if (folderText !== undefined && (!templateText.startsWith(folderText) || !folderText.endsWith('/'))) {
    throw new Error(`${templateText}: its folder "${folderText}" must be a prefix of it ending in "/"`);
  }
  const folder = folderText === undefined ? undefined : new Template(folderText, segments);
  const root = templateText.slice(0, templateText.indexOf('/') + 1);
  if (!/^[a-z0-9][a-z0-9-]*\/$/.test(root)) {
    throw new Error(`${templateText}: a key starts with a fixed top-level folder such as "reports/"`);
  }
  return {
    template: templateText,
    root,
    segments,
    ...scope(template, folder, {}),
    folderTemplate: folderText as string,
    key: (params = {}) => template.fill(params, 'throw'),
    parse: (key) => template.read(key),
    shapeOf: (key) => template.shapeOf(key),
    where: (fixed) => scope(template, folder, fixed),
    folder: (params = {}) => {
      if (folder === undefined) throw new Error(`${templateText} is not listed by a folder`);
      return folder.fill(params, 'throw');
    },
  };
}

/**
 * Whether an IAM pattern (`*`: any text, `/` included; `?`: any one character; case-sensitive)
 * matches `value` — how S3 matches an object ARN or an `s3:prefix` condition (`StringLike`).
 */
export function matchesPattern(pattern: string, value: string): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escapeRegExp(c)))
    .join('');
  return new RegExp(`^${source}$`, 's').test(value);
}

// ---------------------------------------------------------------------------------------------
// Contract 1: what towns, the bureau, partners and the bank put in the bucket.

/**
 * A town office's upload: a payout roster (contract 2.1), `.csv` or `.xlsx`, unless hidden (see
 * `parseRosterKey`).
 */
export const rosterUpload = keyFamily(
  'incoming/{month}/{batch}/{file}',
  { month: MONTH_SEGMENT, batch: NAME_SEGMENT, file: FILE_NAME_SEGMENT },
  'incoming/{month}/',
);

/** Town codes, names and resident population. */
export const townsFile = keyFamily('reference/towns.csv', {});

/** The case system's snapshot of approved recipients (system of record); listed by its folder. */
export const registryFile = keyFamily('reference/registry.csv', {}, 'reference/');

/** The bureau's registers: `staff-relatives` and `proxy-accounts`; listed by their folder. */
export const registerFile = keyFamily('registers/{register}.csv', { register: NAME_SEGMENT }, 'registers/');

/** A partner's file: every file of `partners/{dataset}/` is read as one dataset. */
export const partnerFile = keyFamily(
  'partners/{dataset}/{file}',
  { dataset: NAME_SEGMENT, file: FILE_NAME_SEGMENT },
  'partners/{dataset}/',
);

/** The bank's per-payment results after the release was paid. */
export const bankReturnFile = keyFamily(
  'bank-returns/{month}/{file}',
  { month: MONTH_SEGMENT, file: FILE_NAME_SEGMENT },
  'bank-returns/{month}/',
);

/** Per-town indicators of a month (written by the month watch; history may be seeded). */
export const monthMetrics = keyFamily('metrics/{month}.csv', { month: MONTH_SEGMENT }, 'metrics/');

/** The bureau's optional overrides of the pipeline's settings. */
export const pipelineConfig = keyFamily('config/pipeline.json', {});

// ---------------------------------------------------------------------------------------------
// Staged data.

/** The valid rows of one upload, as Arrow. */
export const stagedRoster = keyFamily('staged/{month}/{batch}/{uploadId}.arrow', {
  month: MONTH_SEGMENT,
  batch: NAME_SEGMENT,
  uploadId: ID_SEGMENT,
});

/** One staging of a dataset (its sources, counts, skipped rows). */
export const datasetSnapshot = keyFamily('staged/datasets/{dataset}/{snapshotId}.json', {
  dataset: NAME_SEGMENT,
  snapshotId: ID_SEGMENT,
});

/**
 * One source file of a dataset staged on its own (`DatasetFileStagingSchema`): a snapshot lists
 * it. Under a prefix of its own: the snapshots' key pattern in IAM (`*` spans `/` there) would
 * reach it under `staged/datasets/`.
 */
export const datasetFile = keyFamily('staged/dataset-files/{dataset}/{fileId}.json', {
  dataset: NAME_SEGMENT,
  fileId: ID_SEGMENT,
});

/**
 * One shard of a staged dataset file's good rows, as Arrow: the rows whose person hashes to it
 * (the file's staging lists its shards, see `StagedShardsSchema`).
 */
export const datasetShard = keyFamily('staged/dataset-files/{dataset}/{fileId}/{shard}.arrow', {
  dataset: NAME_SEGMENT,
  fileId: ID_SEGMENT,
  shard: PARTITION_SEGMENT,
});

const UPLOAD = { month: MONTH_SEGMENT, batch: NAME_SEGMENT, uploadId: ID_SEGMENT } as const;

/** The shards of one upload's staged rows (`RosterShardsSchema`): by ID number and by account. */
export const rosterShards = keyFamily('staged/rosters/{month}/{batch}/{uploadId}/shards.json', UPLOAD);

/** One shard of an upload's valid rows by ID number, as Arrow (the staged roster's schema). */
export const rosterIdShard = keyFamily('staged/rosters/{month}/{batch}/{uploadId}/by-id/{shard}.arrow', {
  ...UPLOAD,
  shard: PARTITION_SEGMENT,
});

/** One shard of an upload's (row, account number, household id) triples by account number, as Arrow. */
export const rosterAccountShard = keyFamily(
  'staged/rosters/{month}/{batch}/{uploadId}/by-account/{shard}.arrow',
  {
    ...UPLOAD,
    shard: PARTITION_SEGMENT,
  },
);

// ---------------------------------------------------------------------------------------------
// Reports of an upload.

/** The machine-readable validation report of one upload. */
export const validationReport = keyFamily('reports/{month}/validation/{batch}/{uploadId}.json', {
  month: MONTH_SEGMENT,
  batch: NAME_SEGMENT,
  uploadId: ID_SEGMENT,
});

/**
 * Every finding of one upload (its reports list only the first ones), one JSON finding per line in
 * `findings.csv` order: what the month's `findings.csv` takes from the upload.
 */
export const uploadFindings = keyFamily('reports/{month}/validation/{batch}/{uploadId}.findings.ndjson', {
  month: MONTH_SEGMENT,
  batch: NAME_SEGMENT,
  uploadId: ID_SEGMENT,
});

/** The bilingual validation report a town officer reads. */
export const readableValidationReport = keyFamily('reports/{month}/validation/{batch}/{uploadId}.txt', {
  month: MONTH_SEGMENT,
  batch: NAME_SEGMENT,
  uploadId: ID_SEGMENT,
});

// ---------------------------------------------------------------------------------------------
// One month run, under `reports/{month}/runs/{runId}/`.

const RUN = { month: MONTH_SEGMENT, runId: ID_SEGMENT } as const;

/** What the run is about, fixed when it starts. */
export const runManifest = keyFamily('reports/{month}/runs/{runId}/manifest.json', RUN);

/** The accounts used by two or more households over the whole month. */
export const runSharedAccounts = keyFamily('reports/{month}/runs/{runId}/shared-accounts.json', RUN);

/** The findings of one partition's checks, one JSON finding per line in `findings.csv` order. */
export const partitionFindings = keyFamily('reports/{month}/runs/{runId}/partition-{partition}.ndjson', {
  ...RUN,
  partition: PARTITION_SEGMENT,
});

/**
 * The items the run's distributed Map (`CheckPartitions`) reads with its ItemReader: a JSON array,
 * one `{ "partition": n }` per partition.
 */
export const runPartitionItems = keyFamily('reports/{month}/runs/{runId}/partition-items.json', RUN);

/**
 * What the distributed Map's ResultWriter writes for one map run (`manifest.json`,
 * `SUCCEEDED_0.json`, `FAILED_0.json`, `PENDING_0.json` …), under the prefix `{folder}` minus
 * its last `/`: Step Functions adds `/{mapRunId}/` itself. Listed to find a failed run's results.
 */
export const mapRunResults = keyFamily(
  'reports/{month}/runs/{runId}/partition-results/{mapRunId}/{file}',
  { ...RUN, mapRunId: ID_SEGMENT, file: FILE_NAME_SEGMENT },
  'reports/{month}/runs/{runId}/partition-results/',
);

/**
 * The items the run's shared-account pass (the distributed Map `FindSharedAccounts`) reads with
 * its ItemReader: a JSON array, one `{ "partition": n }` per account partition.
 */
export const runAccountPartitionItems = keyFamily(
  'reports/{month}/runs/{runId}/account-partition-items.json',
  RUN,
);

/**
 * The accounts of two or more households among one account partition's accounts (a JSON array of
 * `SharedAccountOfPart`), merged into `runSharedAccounts` once every partition wrote its own.
 */
export const sharedAccountsPart = keyFamily('reports/{month}/runs/{runId}/shared-accounts/{partition}.json', {
  ...RUN,
  partition: PARTITION_SEGMENT,
});

/**
 * What the shared-account pass's ResultWriter writes for one map run, as `mapRunResults` for the
 * partition check. Listed to find a failed run's results.
 */
export const accountMapRunResults = keyFamily(
  'reports/{month}/runs/{runId}/account-partition-results/{mapRunId}/{file}',
  { ...RUN, mapRunId: ID_SEGMENT, file: FILE_NAME_SEGMENT },
  'reports/{month}/runs/{runId}/account-partition-results/',
);

/** The release file an approval of this run is asked for. */
export const runReleaseCandidate = keyFamily('reports/{month}/runs/{runId}/release-candidate.csv', RUN);

/**
 * The run's release candidate added up per town and per category (`schemas/release-totals.ts`),
 * written with it: the release's totals, once it is approved, without reading it again.
 */
export const runReleaseTotals = keyFamily('reports/{month}/runs/{runId}/release-totals.json', RUN);

/** The approval page's view of the run's release candidate (IDs masked). */
export const approvalView = keyFamily('reports/{month}/runs/{runId}/approval-view.json', RUN);

// ---------------------------------------------------------------------------------------------
// The month's outputs (contract 4), under `reports/{month}/`.

const MONTH = { month: MONTH_SEGMENT } as const;

/** The month's reports folder (a prefix, named in the audit trail). */
export const monthReports = keyFamily('reports/{month}/', MONTH);

export const findingsCsv = keyFamily('reports/{month}/findings.csv', MONTH);
export const findingsArrow = keyFamily('reports/{month}/findings.arrow', MONTH);
export const monthSummary = keyFamily('reports/{month}/summary.json', MONTH);
/** The month's latest release candidate (what the checks let through before approval). */
export const releaseCandidate = keyFamily('reports/{month}/release-candidate.csv', MONTH);
/** The approved release, written once per month, only by the release. */
export const releaseFile = keyFamily('reports/{month}/release.csv', MONTH);
export const releaseManifest = keyFamily('reports/{month}/release.manifest.json', MONTH);
/** The release added up per town and per category (`schemas/release-totals.ts`), written with it. */
export const releaseTotals = keyFamily('reports/{month}/release-totals.json', MONTH);
export const closeoutCsv = keyFamily('reports/{month}/closeout.csv', MONTH);
export const closeoutJson = keyFamily('reports/{month}/closeout.json', MONTH);
export const reissueCsv = keyFamily('reports/{month}/reissue.csv', MONTH);
export const anomaliesCsv = keyFamily('reports/{month}/anomalies.csv', MONTH);
export const anomaliesJson = keyFamily('reports/{month}/anomalies.json', MONTH);
export const sampleCsv = keyFamily('reports/{month}/sample.csv', MONTH);
export const sampleJson = keyFamily('reports/{month}/sample.json', MONTH);
/** One row per case of the month (issue 11), as officers have left them. */
export const casesCsv = keyFamily('reports/{month}/cases.csv', MONTH);
/** The month at a glance for a person. */
export const monthPage = keyFamily('reports/{month}/report.html', MONTH);

/** Every key family of the bucket by name, e.g. for tests that check them against each other. */
export const BUCKET_LAYOUT = {
  rosterUpload,
  townsFile,
  registryFile,
  registerFile,
  partnerFile,
  bankReturnFile,
  monthMetrics,
  pipelineConfig,
  stagedRoster,
  datasetSnapshot,
  datasetFile,
  datasetShard,
  rosterShards,
  rosterIdShard,
  rosterAccountShard,
  validationReport,
  uploadFindings,
  readableValidationReport,
  runManifest,
  runSharedAccounts,
  partitionFindings,
  runPartitionItems,
  mapRunResults,
  runAccountPartitionItems,
  sharedAccountsPart,
  accountMapRunResults,
  runReleaseCandidate,
  runReleaseTotals,
  approvalView,
  monthReports,
  findingsCsv,
  findingsArrow,
  monthSummary,
  releaseCandidate,
  releaseFile,
  releaseManifest,
  releaseTotals,
  closeoutCsv,
  closeoutJson,
  reissueCsv,
  anomaliesCsv,
  anomaliesJson,
  sampleCsv,
  sampleJson,
  casesCsv,
  monthPage,
} as const;
