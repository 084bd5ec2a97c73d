import { fileFinding } from '#domain/file-findings.ts';
import { type RowContext, validateRosterRecord } from '#domain/roster-row-validation.ts';
import { type FoundHeader, HEADER_WITHIN, RosterSheet } from '#domain/roster-sheet.ts';
import { type TotalLine, validAmountFen } from '#domain/roster-total.ts';
import type { TownDirectory } from '#domain/town-directory.ts';
import { FINDING_LINES_CONTENT_TYPE, findingLine, findingLines } from '#formats/findings-lines.ts';
import type { RawRecord } from '#formats/raw-record.ts';
import { fileKind, MAX_FILE_BYTES, RESTART, type RestartMarker, readRecords } from '#formats/roster-file.ts';
import { spreadsheetShownNumber } from '#formats/shown-number.ts';
import { StagedRosterWriter } from '#formats/staged-roster-writer.ts';
import { UnreadableFileError } from '#formats/unreadable-file-error.ts';
import {
  readableValidationReport,
  stagedRoster,
  uploadFindings,
  validationReport,
} from '#schemas/bucket-layout.ts';
import type { Finding } from '#schemas/finding.ts';
import { severityOf } from '#schemas/finding-codes.ts';
import { loadTowns } from './load-towns.ts';
import type { ObjectStore, UploadIdentity, ValidationOutcome } from './ports.ts';
import { stageRosterShards } from './stage-roster-shards.ts';
import {
  REPORT_FINDINGS_LISTED,
  renderValidationReport,
  type ValidationReport,
} from './validation-report.ts';
import { WholeFileHash } from './whole-file-hash.ts';

/** Where the artefacts of one upload go. */
const ofUpload = (u: UploadIdentity) => ({ month: u.month, batch: u.batch, uploadId: u.uploadId });
const stagedKeyOf = (u: UploadIdentity) => stagedRoster.key(ofUpload(u));
const reportKeyOf = (u: UploadIdentity) => validationReport.key(ofUpload(u));
const readableReportKeyOf = (u: UploadIdentity) => readableValidationReport.key(ofUpload(u));
const findingsKeyOf = (u: UploadIdentity) => uploadFindings.key(ofUpload(u));

/** One read of the file: a GB18030 restart starts a new one. */
interface Pass {
  sheet: RosterSheet;
  header: FoundHeader | undefined;
  context: RowContext | undefined;
  /** Non-blank records between the header and a total line. */
  records: number;
  /** Positions of the records among which the header is looked for, and how many there were in all. */
  firstPositions: number[];
  allRecords: number;
  blank: number;
  invalid: number;
  amountFen: number;
  /** Valid amounts of every data row, whatever its other findings: what a total line must state. */
  validAmountsFen: number;
  /** Findings found, counted as they stream out. */
  findings: number;
  /** The first {@link REPORT_FINDINGS_LISTED}, for the reports. */
  listed: Finding[];
  byCode: Record<string, number>;
  writer: StagedRosterWriter;
  /** The reader said RESTART: the file is read again as GB18030. */
  restarted: boolean;
  /** Why the file cannot be read, once the reader said so. */
  unreadable: string | undefined;
}

const freshPass = (townCodes: readonly string[], xlsx: boolean): Pass => ({
  sheet: new RosterSheet(xlsx ? { totalAmountText: spreadsheetShownNumber } : {}),
  header: undefined,
  context: undefined,
  records: 0,
  firstPositions: [],
  allRecords: 0,
  blank: 0,
  invalid: 0,
  amountFen: 0,
  validAmountsFen: 0,
  findings: 0,
  listed: [],
  byCode: {},
  writer: new StagedRosterWriter(townCodes),
  restarted: false,
  unreadable: undefined,
});

function count(pass: Pass, finding: Finding): void {
  pass.findings++;
  pass.byCode[finding.code] = (pass.byCode[finding.code] ?? 0) + 1;
  if (pass.listed.length < REPORT_FINDINGS_LISTED) pass.listed.push(finding);
}

/** Records after the one at `position` (0-based): the data rows a header there would have had. */
const recordsAfter = (pass: Pass, position: number) =>
  pass.allRecords - pass.firstPositions.filter((p) => p <= position).length;

/**
 * Validates the records of one pass as they are read, stages the valid rows and yields the
 * findings of the invalid ones in row order. Ends at the end of the file, at a RESTART, or when
 * the file turns out unreadable (recorded in the pass, not thrown: what was yielded stands).
 */
async function* rowFindings(
  records: AsyncIterator<RawRecord[] | RestartMarker>,
  pass: Pass,
  upload: UploadIdentity,
  towns: TownDirectory,
): AsyncGenerator<Finding> {
  for (;;) {
    let next: IteratorResult<RawRecord[] | RestartMarker>;
    try {
      next = await records.next();
    } catch (error) {
      if (!(error instanceof UnreadableFileError)) throw error;
      pass.unreadable = error.reason;
      return;
    }
    if (next.done) return;
    if (next.value === RESTART) {
      pass.restarted = true;
      return;
    }
    for (const record of next.value) {
      pass.allRecords++;
      if (pass.firstPositions.length < HEADER_WITHIN) pass.firstPositions.push(record.row);
      const place = pass.sheet.place(record.fields, record.row, record.dates);
      if (place === 'header') {
        pass.header = pass.sheet.header;
        if (pass.header) pass.context = { month: upload.month, towns, indexOf: pass.header.indexOf };
        continue;
      }
      // Titles, the total line and what follows it are no data rows; without a header the file is
      // MISSING_COLUMNS, but it is read on: an unreadable file must be UNREADABLE_FILE first.
      const { header, context } = pass;
      if (place !== 'data' || header === undefined || context === undefined) continue;
      const row = record.row - header.position;
      const result = validateRosterRecord(record.fields, row, context);
      if (result.kind === 'blank') {
        pass.blank++;
        continue;
      }
      pass.records++;
      if (result.kind === 'valid') {
        pass.writer.add(result.row);
        pass.amountFen += result.row.amountFen;
        pass.validAmountsFen += result.row.amountFen;
        continue;
      }
      pass.invalid++;
      pass.validAmountsFen += validAmountFen(record.fields, header.indexOf);
      for (const draft of result.findings) {
        const finding: Finding = {
          month: upload.month,
          batch: upload.batch,
          row,
          idNumber: result.idNumber,
          category: result.category,
          code: draft.code,
          severity: severityOf(draft.code),
          detail: draft.detail,
        };
        count(pass, finding);
        yield finding;
      }
    }
  }
}

/**
 * Validates one uploaded roster (contract 2, 2.1, 3.1, 3.2) in a single streaming pass — the header
 * found among the first 10 records, the data rows up to a total line, whose amount is checked
 * against the valid amounts — stages the valid rows as Arrow when the file is accepted (whole, and
 * hash-partitioned by ID number and by account for the month run: `stageRosterShards`), and writes
 * the department's reports. The original object is only read, never changed; it is read to its end
 * (its SHA-256, and an unreadable tail is still `UNREADABLE_FILE`) even after a total line.
 *
 * Memory does not grow with the findings: they stream, as they are found, to the upload's
 * findings file (`uploadFindings`, every one of them, for the month's `findings.csv`), and the
 * reports list the first {@link REPORT_FINDINGS_LISTED} with counts per code. What is held is the
 * valid rows being staged (bounded by the file size, and for XLSX by Excel's row limit).
 */
export async function validateRoster(
  upload: UploadIdentity,
  deps: { store: ObjectStore; now: () => string; rowsPerShard?: number | undefined },
): Promise<ValidationOutcome> {
  const towns = await loadTowns(deps.store);
  const townCodes = towns.towns.map((t) => t.code);
  const xlsx = fileKind(upload.fileName) === 'xlsx';
  // The version registered, never whatever the key holds by now (a replaced upload is its own).
  const source = new WholeFileHash(() =>
    deps.store.open(upload.key, { versionId: upload.versionId, etag: upload.etag }),
  );
  // readRecords opens a CSV a second time only to read it as GB18030.
  let opens = 0;
  const open = () => {
    opens++;
    return source.open();
  };
  const reader = readRecords(open, upload.fileName, upload.size)[Symbol.asyncIterator]();
  const findingsKey = findingsKeyOf(upload);
  let pass: Pass;
  do {
    // A restart writes the findings file again, from the GB18030 reading.
    pass = freshPass(townCodes, xlsx);
    await deps.store.putStream(
      findingsKey,
      findingLines(rowFindings(reader, pass, upload, towns)),
      FINDING_LINES_CONTENT_TYPE,
    );
  } while (pass.restarted);

  const { header } = pass;
  const headerProblem = pass.sheet.headerProblem;
  const stated = pass.sheet.total;
  const total: TotalLine | undefined =
    stated === undefined || header === undefined
      ? undefined
      : {
          line: stated.position + 1,
          label: stated.label,
          stated: stated.stated,
          validAmountsFen: pass.validAmountsFen,
        };
  // Without a header, the record that came closest to one is named (contract 2 takes the first record
  // for the header: it is the one when none of the first ten names a required column).
  const candidate = header?.position ?? headerProblem?.position;
  const records = header === undefined ? recordsAfter(pass, candidate ?? 0) : pass.records;
  const fileLevel = fileFinding({
    key: upload.key,
    unreadable: pass.unreadable,
    missing: headerProblem?.missing ?? [],
    headerLine: candidate === undefined ? 'not-found' : candidate + 1,
    lineName: xlsx ? 'sheet row' : 'line',
    dataRows: records,
    ...(total ? { total } : {}),
  });
  const accepted = fileLevel === undefined;
  if (!accepted) {
    const finding: Finding = {
      month: upload.month,
      batch: upload.batch,
      code: fileLevel.code,
      severity: 'BLOCK',
      detail: fileLevel.detail,
    };
    // A rejected file's findings are its file-level one alone (nothing of it is checked further).
    pass = { ...pass, findings: 0, listed: [], byCode: {} };
    count(pass, finding);
    await deps.store.put(findingsKey, findingLine(finding), FINDING_LINES_CONTENT_TYPE);
  }
  const validRows = accepted ? pass.writer.rowCount : 0;
  // An unreadable file is not told by what was read of it before the error: how far that got
  // depends on where the reads were cut (the read chunk size), and nothing of it counts.
  const read = pass.unreadable === undefined;
  const outcome: ValidationOutcome = {
    status: accepted ? 'ACCEPTED' : 'REJECTED',
    records: read ? records : 0,
    blankRecords: read ? pass.blank : 0,
    validRows,
    invalidRows: accepted ? pass.invalid : 0,
    findings: pass.findings,
    validAmountFen: accepted ? pass.amountFen : 0,
    encoding: xlsx ? 'xlsx' : opens > 1 ? 'gb18030' : 'utf-8',
    // A file over the size limit is not read at all, so it has no digest.
    ...(upload.size <= MAX_FILE_BYTES ? { sourceSha256: await source.digest() } : {}),
    stagedKey: accepted ? stagedKeyOf(upload) : undefined,
    reportKey: reportKeyOf(upload),
    readableReportKey: readableReportKeyOf(upload),
    findingsKey,
    fileFinding: fileLevel?.code,
    ...(header && read ? { headerLine: header.position + 1 } : {}),
    ...(total && read ? { totalLine: total } : {}),
  };
  if (accepted) {
    const staged = pass.writer.toIpcFile();
    await deps.store.put(stagedKeyOf(upload), staged, 'application/vnd.apache.arrow.file');
    await stageRosterShards(upload, staged, deps);
  }
  const report: ValidationReport = {
    upload,
    outcome,
    checkedAt: deps.now(),
    findings: pass.listed,
    findingsByCode: pass.byCode,
  };
  await deps.store.put(reportKeyOf(upload), JSON.stringify(report), 'application/json');
  await deps.store.put(
    readableReportKeyOf(upload),
    renderValidationReport(report),
    'text/plain; charset=utf-8',
  );
  return outcome;
}
