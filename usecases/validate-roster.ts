import { createHash } from 'node:crypto';
import { fileFinding } from '#domain/file-findings.ts';
import { type RowContext, validateRosterRecord } from '#domain/roster-row-validation.ts';
import { type FoundHeader, HEADER_WITHIN, RosterSheet } from '#domain/roster-sheet.ts';
import { type TotalLine, validAmountFen } from '#domain/roster-total.ts';
import { fileKind, RESTART, readRecords } from '#formats/roster-file.ts';
import { spreadsheetShownNumber } from '#formats/shown-number.ts';
import { StagedRosterWriter } from '#formats/staged-roster-writer.ts';
import { UnreadableFileError } from '#formats/unreadable-file-error.ts';
import { readableValidationReport, stagedRoster, validationReport } from '#schemas/bucket-layout.ts';
import type { Finding } from '#schemas/finding.ts';
import { severityOf } from '#schemas/finding-codes.ts';
import { loadTowns } from './load-towns.ts';
import type { ObjectStore, UploadIdentity, ValidationOutcome } from './ports.ts';
import { renderValidationReport, type ValidationReport } from './validation-report.ts';

/** Where the artefacts of one upload go. */
const ofUpload = (u: UploadIdentity) => ({ month: u.month, batch: u.batch, uploadId: u.uploadId });
const stagedKeyOf = (u: UploadIdentity) => stagedRoster.key(ofUpload(u));
const reportKeyOf = (u: UploadIdentity) => validationReport.key(ofUpload(u));
const readableReportKeyOf = (u: UploadIdentity) => readableValidationReport.key(ofUpload(u));

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
  findings: Finding[];
  writer: StagedRosterWriter;
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
  findings: [],
  writer: new StagedRosterWriter(townCodes),
});

/** Records after the one at `position` (0-based): the data rows a header there would have had. */
const recordsAfter = (pass: Pass, position: number) =>
  pass.allRecords - pass.firstPositions.filter((p) => p <= position).length;

/**
 * Validates one uploaded roster (contract 2, 2.1, 3.1, 3.2) in a single streaming pass — the header
 * found among the first 10 records, the data rows up to a total line, whose amount is checked
 * against the valid amounts — stages the valid rows as Arrow when the file is accepted, and writes
 * the department's reports. The original object is only read, never changed; it is read to its end
 * (its SHA-256, and an unreadable tail is still `UNREADABLE_FILE`) even after a total line.
 */
export async function validateRoster(
  upload: UploadIdentity,
  deps: { store: ObjectStore; now: () => string },
): Promise<ValidationOutcome> {
  const towns = await loadTowns(deps.store);
  const townCodes = towns.towns.map((t) => t.code);
  const xlsx = fileKind(upload.fileName) === 'xlsx';
  let pass = freshPass(townCodes, xlsx);
  // The digest of the last complete read is the source's SHA-256 (a GB18030 restart reads again).
  let sourceHash = createHash('sha256');
  // readRecords opens a CSV a second time only to read it as GB18030.
  let opens = 0;
  const open = async () => {
    opens++;
    const bytes = await deps.store.open(upload.key);
    const hash = createHash('sha256');
    sourceHash = hash;
    return (async function* hashed() {
      for await (const chunk of bytes) {
        hash.update(chunk);
        yield chunk;
      }
    })();
  };
  let unreadable: string | undefined;
  try {
    for await (const batch of readRecords(open, upload.fileName, upload.size)) {
      if (batch === RESTART) {
        pass = freshPass(townCodes, xlsx);
        continue;
      }
      for (const record of batch) {
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
          pass.findings.push({
            month: upload.month,
            batch: upload.batch,
            row,
            idNumber: result.idNumber,
            category: result.category,
            code: draft.code,
            severity: severityOf(draft.code),
            detail: draft.detail,
          });
        }
      }
    }
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    unreadable = error.reason;
  }

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
    unreadable,
    missing: headerProblem?.missing ?? [],
    headerLine: candidate === undefined ? 'not-found' : candidate + 1,
    lineName: xlsx ? 'sheet row' : 'line',
    dataRows: records,
    ...(total ? { total } : {}),
  });
  const accepted = fileLevel === undefined;
  const findings: Finding[] = accepted
    ? pass.findings
    : [
        {
          month: upload.month,
          batch: upload.batch,
          code: fileLevel.code,
          severity: 'BLOCK',
          detail: fileLevel.detail,
        },
      ];
  const validRows = accepted ? pass.writer.rowCount : 0;
  // An unreadable file is not told by what was read of it before the error: how far that got
  // depends on where the reads were cut (the read chunk size), and nothing of it counts.
  const read = unreadable === undefined;
  const outcome: ValidationOutcome = {
    status: accepted ? 'ACCEPTED' : 'REJECTED',
    records: read ? records : 0,
    blankRecords: read ? pass.blank : 0,
    validRows,
    invalidRows: accepted ? pass.invalid : 0,
    findings: findings.length,
    validAmountFen: accepted ? pass.amountFen : 0,
    encoding: xlsx ? 'xlsx' : opens > 1 ? 'gb18030' : 'utf-8',
    sourceSha256: sourceHash.digest('hex'),
    stagedKey: accepted ? stagedKeyOf(upload) : undefined,
    reportKey: reportKeyOf(upload),
    readableReportKey: readableReportKeyOf(upload),
    fileFinding: fileLevel?.code,
    ...(header && read ? { headerLine: header.position + 1 } : {}),
    ...(total && read ? { totalLine: total } : {}),
  };
  if (accepted) {
    await deps.store.put(stagedKeyOf(upload), pass.writer.toIpcFile(), 'application/vnd.apache.arrow.file');
  }
  const report: ValidationReport = { upload, outcome, checkedAt: deps.now(), findings };
  await deps.store.put(reportKeyOf(upload), JSON.stringify(report), 'application/json');
  await deps.store.put(
    readableReportKeyOf(upload),
    renderValidationReport(report),
    'text/plain; charset=utf-8',
  );
  return outcome;
}
