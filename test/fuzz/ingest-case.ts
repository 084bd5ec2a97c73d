import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { tableFromIPC } from 'apache-arrow';
import { rosterUpload, stagedRoster, townsFile } from '#schemas/bucket-layout.ts';
import type { UploadIdentity, ValidationOutcome } from '#usecases/ports.ts';
import { validateRoster } from '#usecases/validate-roster.ts';
import type { ValidationReport } from '#usecases/validation-report.ts';
import { MemoryObjectStore } from '../unit/usecases/dataset/memory-object-store.ts';

/**
 * Read chunk sizes every case is checked at: a byte at a time, an odd size that cuts every
 * multi-byte character and CRLF somewhere, the in-memory bucket's default, and 64 KiB (an S3
 * stream's chunk; the whole file for the seeds).
 */
export const CHUNK_SIZES = [1, 7, 64, 65_536] as const;

const BATCH = 'fuzz';
const NOW = '2026-10-18T09:00:00.000Z';

/** What one ingest of one file came to: the outcome, or the error that escaped. */
interface Run {
  readonly chunkSize: number;
  readonly outcome?: ValidationOutcome;
  readonly error?: unknown;
  /** Every object the use case left, by key: SHA-256 of its bytes. */
  readonly objects: Record<string, string>;
  readonly store: MemoryObjectStore;
}

/** The invariants a case is held to, by name. */
export const RULES = [
  'no-crash',
  'same-whatever-chunk-size',
  'same-unreadable-reason-whatever-chunk-size',
  'whole-file-sha256',
  'records-add-up',
  'accepted-is-staged',
  'rejected-is-untouched-and-reported',
  'report-states-outcome',
] as const;
export type Rule = (typeof RULES)[number];

/** One invariant that does not hold. */
export interface Problem {
  readonly rule: Rule;
  readonly detail: string;
}

/** The verdict on one case. */
export interface CaseResult {
  /** The outcome at the first chunk size; `CRASH` when an error escaped at any. */
  readonly status: 'ACCEPTED' | 'REJECTED' | 'CRASH';
  readonly fileFinding?: string | undefined;
  /** The outcome at the first chunk size, when no error escaped. */
  readonly outcome?: ValidationOutcome | undefined;
  /** What broke: the escaped error, or each invariant that does not hold. */
  readonly problems: readonly Problem[];
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The upload a case stands for: one file in the batch folder of the month. */
export function uploadOf(month: string, fileName: string, size: number): UploadIdentity {
  return {
    bucket: 'fuzz',
    key: rosterUpload.key({ month, batch: BATCH, file: fileName }),
    version: 'v1',
    month,
    batch: BATCH,
    fileName,
    size,
    order: '1',
    uploadId: 'fuzz-case',
  };
}

async function ingestOnce(
  towns: Uint8Array,
  upload: UploadIdentity,
  bytes: Uint8Array,
  chunkSize: number,
): Promise<Run> {
  const store = new MemoryObjectStore(chunkSize).set(townsFile.key(), towns).set(upload.key, bytes);
  let outcome: ValidationOutcome | undefined;
  let error: unknown;
  try {
    outcome = await validateRoster(upload, { store, now: () => NOW });
  } catch (e) {
    error = e;
  }
  const objects: Record<string, string> = {};
  for (const key of store.keys()) objects[key] = sha256(store.get(key) as Uint8Array);
  return { chunkSize, objects, store, ...(outcome ? { outcome } : {}), ...(error ? { error } : {}) };
}

const describe = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);

const text = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8');

/** The invariants of one run that does not depend on the others. */
function problemsOf(run: Run, upload: UploadIdentity, bytes: Uint8Array): Problem[] {
  const { outcome, store } = run;
  if (outcome === undefined) return [];
  const problems: Problem[] = [];
  const failing = (rule: Rule) => (what: string) =>
    problems.push({ rule, detail: `chunk ${run.chunkSize}: ${what}` });
  let fail = failing('rejected-is-untouched-and-reported');
  const original = store.get(upload.key);
  if (original === undefined || sha256(original) !== sha256(bytes)) fail('the original upload changed');
  if (outcome.sourceSha256 !== sha256(bytes))
    failing('whole-file-sha256')('sourceSha256 is not the SHA-256 of the whole file');

  const stagedKey = stagedRoster.key({ month: upload.month, batch: upload.batch, uploadId: upload.uploadId });
  const staged = store.get(stagedKey);
  if (outcome.status === 'ACCEPTED') {
    if (outcome.records !== outcome.validRows + outcome.invalidRows)
      failing('records-add-up')(
        `records ${outcome.records} ≠ valid ${outcome.validRows} + invalid ${outcome.invalidRows}`,
      );
    fail = failing('accepted-is-staged');
    if (outcome.stagedKey !== stagedKey || staged === undefined) fail('accepted but not staged');
    else if (tableFromIPC(staged).numRows !== outcome.validRows)
      fail(`staged ${tableFromIPC(staged).numRows} rows, outcome says ${outcome.validRows}`);
  } else {
    if (staged !== undefined || outcome.stagedKey !== undefined) fail('rejected but staged');
    if (outcome.fileFinding === undefined) fail('rejected without a file finding');
    if (outcome.validRows !== 0 || outcome.invalidRows !== 0 || outcome.findings !== 1)
      fail('rejected with row counts or more than its one file finding');
  }

  fail = failing('rejected-is-untouched-and-reported');
  const reportText = text(store.get(outcome.reportKey));
  const readable = text(store.get(outcome.readableReportKey));
  if (reportText === undefined || readable === undefined || readable.length === 0) {
    fail('no validation report written');
    return problems;
  }
  fail = failing('report-states-outcome');
  const report = JSON.parse(reportText) as ValidationReport;
  if (!isDeepStrictEqual(report.outcome, JSON.parse(JSON.stringify(outcome))))
    fail('the report states another outcome than the one returned');
  if (report.findings.length !== outcome.findings) fail('the report lists another number of findings');
  if (outcome.status === 'ACCEPTED') {
    const rows = new Set(report.findings.map((f) => f.row));
    if (rows.size !== outcome.invalidRows)
      fail(`${rows.size} rows with findings, ${outcome.invalidRows} invalid rows`);
    // Rows count from the header; blank records and, in a sheet, rows it leaves out have numbers too.
    if ([...rows].some((r) => r === undefined || r < 1))
      fail('a finding names no row, or a row above the first');
  } else if (report.findings[0]?.code !== outcome.fileFinding) {
    fail('the report does not give the file finding');
  }
  return problems;
}

/**
 * What differs between two runs of one file at two chunk sizes: the outcome (its digest has its
 * own rule), the findings reported, the staged rows.
 */
function differences(other: Run, first: Run): Problem[] {
  const between = `chunk ${other.chunkSize} vs ${first.chunkSize}`;
  const a = other.outcome as ValidationOutcome;
  const b = first.outcome as ValidationOutcome;
  const { sourceSha256: _a, encoding: encodingA, ...restA } = a;
  const { sourceSha256: _b, encoding: encodingB, ...restB } = b;
  if (!isDeepStrictEqual(restA, restB))
    return [
      {
        rule: 'same-whatever-chunk-size',
        detail: `${between}: outcome differs: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`,
      },
    ];
  const findingsOf = (run: Run, o: ValidationOutcome) =>
    (JSON.parse(text(run.store.get(o.reportKey)) ?? '{}') as Partial<ValidationReport>).findings;
  const findingsA = findingsOf(other, a);
  const findingsB = findingsOf(first, b);
  if (encodingA !== encodingB || !isDeepStrictEqual(findingsA, findingsB))
    return [
      {
        rule:
          a.fileFinding === 'UNREADABLE_FILE'
            ? 'same-unreadable-reason-whatever-chunk-size'
            : 'same-whatever-chunk-size',
        detail: `${between}: read as ${encodingA} ≠ ${encodingB}, findings ${JSON.stringify(findingsA)} ≠ ${JSON.stringify(findingsB)}`,
      },
    ];
  const stagedA = a.stagedKey === undefined ? undefined : other.objects[a.stagedKey];
  const stagedB = b.stagedKey === undefined ? undefined : first.objects[b.stagedKey];
  if (stagedA !== stagedB)
    return [{ rule: 'same-whatever-chunk-size', detail: `${between}: the staged rows differ` }];
  return [];
}

/**
 * Ingests one file (ValidateRoster over an in-memory bucket holding the towns directory and the
 * upload) once per chunk size (default {@link CHUNK_SIZES}) and checks the invariants: no error escapes; the
 * outcome and every object written are the same whatever the chunk size; records = valid + invalid;
 * accepted ⇒ staged (the Arrow file holds the valid rows); rejected ⇒ original untouched, nothing
 * staged, a report written. Never throws: what goes wrong is the result.
 */
export async function runIngestCase(
  towns: Uint8Array,
  month: string,
  fileName: string,
  bytes: Uint8Array,
  chunkSizes: readonly number[] = CHUNK_SIZES,
): Promise<CaseResult> {
  const upload = uploadOf(month, fileName, bytes.length);
  const runs: Run[] = [];
  for (const size of chunkSizes) runs.push(await ingestOnce(towns, upload, bytes, size));
  const crashed = runs.find((r) => r.error !== undefined);
  if (crashed) {
    const detail = `chunk ${crashed.chunkSize}: ${describe(crashed.error)}`;
    return { status: 'CRASH', problems: [{ rule: 'no-crash', detail }] };
  }
  const [first, ...others] = runs as [Run, ...Run[]];
  const problems = runs.flatMap((r) => problemsOf(r, upload, bytes));
  for (const other of others) problems.push(...differences(other, first));
  const outcome = first.outcome as ValidationOutcome;
  return {
    status: outcome.status,
    fileFinding: outcome.fileFinding,
    outcome,
    problems,
  };
}
