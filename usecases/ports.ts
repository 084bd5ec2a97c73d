import type { TotalLine } from '#domain/roster-total.ts';
import type { CaseLine, CaseRecord, Clearance, PendingReplacement } from '#schemas/case.ts';

/** For case stores: the part of a case id that sorts its kind's cases together. */
export { caseIdKind } from '#domain/cases/case-key.ts';

/**
 * Ports the use cases need from the outside world. Adapters under `adapters/` implement them
 * with the AWS SDK; nothing here knows about AWS.
 */

/** Metadata of a stored object. */
export interface StoredObject {
  readonly key: string;
  readonly size: number;
  /** Entity tag: changes whenever the object's content does. */
  readonly etag: string;
}

/**
 * Which content of a key to read: the object version registered (versioned bucket), else the
 * content with that ETag. With neither, whatever the key holds now.
 */
export interface ObjectVersion {
  readonly versionId?: string | undefined;
  readonly etag?: string | undefined;
}

/** Read/write access to the data bucket. */
export interface ObjectStore {
  /**
   * The storage this store reads and writes (e.g. `s3://bucket`), naming it across store
   * instances: work on the same objects in one process can then be shared. Absent, only work
   * through the same instance is shared.
   */
  readonly location?: string;
  /**
   * Streams an object's bytes; with `version`, those of that version (or ETag) only.
   * Throws `UploadVanishedError` when the object, or that version of it, does not exist (a key
   * overwritten in a bucket without versions no longer holds the content registered).
   */
  open(key: string, version?: ObjectVersion): Promise<AsyncIterable<Uint8Array>>;
  /** The object's whole content, or `undefined` when it does not exist. For small files only. */
  readBytes(key: string): Promise<Uint8Array | undefined>;
  put(key: string, body: Uint8Array | string, contentType: string): Promise<void>;
  /**
   * Writes an object from a stream of pieces (a string is written as UTF-8), holding only a few
   * MiB of it at a time: for outputs that may be larger than memory. The object appears whole
   * once the stream ends, or not at all when it fails (the stream's error is rethrown).
   */
  putStream(key: string, body: AsyncIterable<Uint8Array | string>, contentType: string): Promise<void>;
  /**
   * Copies the object at `from` to `to`, content type included, inside the bucket: its bytes do not
   * pass through the caller (S3's CopyObject). `to` appears whole or not at all.
   * Throws `UploadVanishedError` when `from` does not exist.
   */
  copy(from: string, to: string): Promise<void>;
  list(prefix: string): Promise<StoredObject[]>;
}

/** One upload of a roster, as identified by its object event. */
export interface UploadIdentity {
  readonly bucket: string;
  readonly key: string;
  /** Object version (versioned bucket) or, where there is none, the ETag. */
  readonly version: string;
  /** The S3 version id of the upload, where the bucket is versioned: the content that is read. */
  readonly versionId?: string | undefined;
  /** The upload's ETag: without a version id, the content read must still have it. */
  readonly etag?: string | undefined;
  readonly month: string;
  readonly batch: string;
  readonly fileName: string;
  readonly size: number;
  /** Sortable upload order: event time, then file name (contract section 1). */
  readonly order: string;
  /** Stable id derived from bucket, key and version; names the staged and report objects. */
  readonly uploadId: string;
}

export type UploadStatus = 'REGISTERED' | 'ACCEPTED' | 'REJECTED' | 'FAILED' | 'SUPERSEDED';

/** Outcome of validating one roster file. */
export interface ValidationOutcome {
  readonly status: 'ACCEPTED' | 'REJECTED';
  readonly records: number;
  readonly blankRecords: number;
  readonly validRows: number;
  readonly invalidRows: number;
  readonly findings: number;
  /** Sum of the valid rows' amounts, integer fen. */
  readonly validAmountFen: number;
  /** How the file was read: `utf-8` or `gb18030` (CSV), or `xlsx`. */
  readonly encoding: string;
  /** SHA-256 of the whole file; absent for a file over the size limit, which is not read. */
  readonly sourceSha256?: string | undefined;
  readonly stagedKey?: string | undefined;
  readonly reportKey: string;
  readonly readableReportKey: string;
  /** Every finding of the upload, one JSON finding per line (the reports list the first ones). */
  readonly findingsKey?: string | undefined;
  readonly fileFinding?: string | undefined;
  /**
   * 1-based line (CSV record) or sheet row (XLSX) of the header, when one was found (contract 2):
   * row `n` is what the officer sees as line `n + headerLine`.
   */
  readonly headerLine?: number | undefined;
  /** The file's total line and the valid amounts it is checked against, when it has one. */
  readonly totalLine?: TotalLine | undefined;
}

/** The current state of one batch of a month. */
export interface BatchState {
  readonly month: string;
  readonly batch: string;
  readonly latestUploadId: string;
  readonly latestKey: string;
  readonly latestOrder: string;
  readonly status: 'PENDING' | 'ACCEPTED' | 'REJECTED' | 'FAILED';
  readonly outcome?: ValidationOutcome;
  readonly failure?: string;
  readonly updatedAt: string;
}

export type RegisterResult = 'REGISTERED' | 'DUPLICATE' | 'SUPERSEDED';

/** Run state: file versions and batch pointers, each change a single conditional write. */
export interface RunStateStore {
  /**
   * Records an upload and, when it is the newest of its batch, points the batch at it.
   * A repeat of an upload already registered (and not failed) is `DUPLICATE`.
   */
  registerUpload(upload: UploadIdentity, at: string): Promise<RegisterResult>;
  /** Records the outcome; returns false (and marks the upload superseded) when a newer upload took over. */
  recordOutcome(upload: UploadIdentity, outcome: ValidationOutcome, at: string): Promise<boolean>;
  recordFailure(upload: UploadIdentity, reason: string, at: string): Promise<boolean>;
  listBatches(month: string): Promise<BatchState[]>;
  /**
   * Claims the e-mail telling the town office that an upload was rejected: true once per upload,
   * false for a repeat (a re-delivered event, a retried step) — unless the claimed sending failed.
   */
  claimRejectionNotice(uploadId: string, at: string): Promise<boolean>;
  /** Records whether the claimed rejection e-mail went out (a failed one may be claimed again). */
  settleRejectionNotice(uploadId: string, sent: boolean, at: string): Promise<void>;
}

/** One append-only audit record. */
export interface AuditEntry {
  readonly month: string;
  readonly action: string;
  readonly actor: string;
  readonly at: string;
  /** SHA-256 of the content the action is about, where the action has read it. */
  readonly contentSha256?: string;
  readonly subject: string;
  readonly details: Record<string, unknown>;
}

export interface AuditTrail {
  append(entry: AuditEntry): Promise<void>;
  list(month: string): Promise<AuditEntry[]>;
}

/**
 * An audit entry as stored: its place in its month's hash chain. `sha256` is the SHA-256 of the
 * entry's canonical JSON (RFC 8785) without `sha256` itself, so it covers `seq` and `prevSha256`
 * too; see `usecases/audit-chain.ts`.
 */
export interface ChainedAuditEntry extends AuditEntry {
  /** 1, 2, 3 … within the month, without gaps. */
  readonly seq: number;
  /** `sha256` of the month's entry `seq - 1`; 64 zeros for the first. */
  readonly prevSha256: string;
  readonly sha256: string;
}

/** Where a month's last entry stands: what the next one chains to. */
export interface AuditChainHead {
  readonly seq: number;
  readonly sha256: string;
}

/**
 * Storage of chained audit entries, one chain per month. Writers never coordinate otherwise:
 * `add` is a conditional write that refuses a second entry at the same `seq`.
 */
export interface AuditLedger {
  /** The month's last entry as a writer sees it now (strongly consistent); none before the first. */
  head(month: string): Promise<AuditChainHead | undefined>;
  /** Stores the entry at its `seq`; false when another entry took that place first. */
  add(entry: ChainedAuditEntry): Promise<boolean>;
  /** The month's entries in `seq` order. */
  list(month: string): Promise<ChainedAuditEntry[]>;
}

/** One e-mail (or other personal notification). */
export interface Notification {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
}

/** Sends notifications (SES in AWS). */
export interface Notifier {
  send(notification: Notification): Promise<void>;
}

/** Settles a workflow step waiting for a task token (`SendTaskSuccess` / `SendTaskFailure`). */
export interface TaskCallbacks {
  /** Returns false when the task was already settled or no longer exists. */
  succeed(taskToken: string, output: unknown): Promise<boolean>;
  fail(taskToken: string, error: string, cause: string): Promise<boolean>;
}

export { CASE_LINE_FIELDS } from '#schemas/case.ts';
export type { CaseLine, CaseRecord, Clearance, PendingReplacement };

/** What a conditional save of a case did: saved over the version read, or another save came first. */
export type CaseSaveResult = 'SAVED' | 'CONFLICT';

/**
 * The cases of issue 11: one item per case, by month and town; the home-visit replacements
 * waiting their turn; and the clearances a REVIEW finding confirmed in order leaves for later
 * months. Every change of a case is a conditional write on its version.
 */
export interface CaseStore {
  /** Stores a new case unless one with its id exists in its month and town; whether it was stored. */
  open(record: CaseRecord): Promise<boolean>;
  /**
   * Opens many new cases of one month at once (the month's findings, its visits): stores those
   * whose id is not in the month yet, never over a case already there (an officer may have worked
   * it). Not guarded against a second opener of the same month at the same moment (the workflow
   * runs one at a time; both would store the same new case).
   * @returns the ids stored.
   */
  openAll(month: string, records: readonly CaseRecord[]): Promise<Set<string>>;
  /** Saves `record` (whose version is `expectedVersion + 1`) only over `expectedVersion`. */
  save(record: CaseRecord, expectedVersion: number): Promise<CaseSaveResult>;
  get(month: string, town: string, caseId: string): Promise<CaseRecord | undefined>;
  /** A town's cases of a month (no order promised). */
  listTown(month: string, town: string): Promise<CaseRecord[]>;
  /** Every case of a month, all towns (no order promised). */
  listMonth(month: string): Promise<CaseRecord[]>;
  /**
   * Every case of a month, all towns, with only the attributes of {@link CaseLine} (no order
   * promised): what the month page, `cases.csv` and the overdue notice read, without each
   * finding's detail and evidence.
   */
  listMonthLines(month: string): Promise<CaseLine[]>;
  /**
   * Keeps replacement households of a sample until a visit of their town is NOT_FOUND (each under
   * its month, town and rank: putting one again overwrites it).
   */
  putReplacements(replacements: readonly PendingReplacement[]): Promise<void>;
  /** A town's waiting replacements of a month (no order promised). */
  listReplacements(month: string, town: string): Promise<PendingReplacement[]>;
  /** The clearance of (code, id_number, category) on the evidence of `fingerprint`, if any. */
  clearance(
    code: string,
    idNumber: string,
    category: string,
    fingerprint: string,
  ): Promise<Clearance | undefined>;
  /**
   * {@link clearance} for many findings at once, keyed by {@link clearanceKey} of each one found.
   */
  clearances(
    keys: readonly { code: string; idNumber: string; category: string; fingerprint: string }[],
  ): Promise<Map<string, Clearance>>;
  /** Records (or replaces with a later one) a clearance. */
  putClearance(clearance: Clearance): Promise<void>;
}

/** The key of a clearance in {@link CaseStore.clearances}' answer. */
export const clearanceKey = (k: { code: string; idNumber: string; category: string; fingerprint: string }) =>
  JSON.stringify([k.code, k.idNumber, k.category, k.fingerprint]);
