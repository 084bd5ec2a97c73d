import { fileFinding } from '#domain/file-findings.ts';
import { resolveRosterHeader } from '#domain/roster-header.ts';
import { type RowContext, validateRosterRecord } from '#domain/roster-row-validation.ts';
import { fileKind, MAX_FILE_BYTES, RESTART, readRecords } from '#formats/roster-file.ts';
import { StagedRosterWriter } from '#formats/staged-roster-writer.ts';
import { UnreadableFileError } from '#formats/unreadable-file-error.ts';
import { readableValidationReport, stagedRoster, validationReport } from '#schemas/bucket-layout.ts';
import type { Finding } from '#schemas/finding.ts';
import { severityOf } from '#schemas/finding-codes.ts';
import { loadTowns } from './load-towns.ts';
import type { ObjectStore, UploadIdentity, ValidationOutcome } from './ports.ts';
import { renderValidationReport, type ValidationReport } from './validation-report.ts';
import { WholeFileHash } from './whole-file-hash.ts';

/** Where the artefacts of one upload go. */
const ofUpload = (u: UploadIdentity) => ({ month: u.month, batch: u.batch, uploadId: u.uploadId });
const stagedKeyOf = (u: UploadIdentity) => stagedRoster.key(ofUpload(u));
const reportKeyOf = (u: UploadIdentity) => validationReport.key(ofUpload(u));
const readableReportKeyOf = (u: UploadIdentity) => readableValidationReport.key(ofUpload(u));

interface Pass {
  context: RowContext | undefined;
  missing: string[];
  records: number;
  blank: number;
  invalid: number;
  amountFen: number;
  findings: Finding[];
  writer: StagedRosterWriter;
}

const freshPass = (townCodes: readonly string[]): Pass => ({
  context: undefined,
  missing: [],
  records: 0,
  blank: 0,
  invalid: 0,
  amountFen: 0,
  findings: [],
  writer: new StagedRosterWriter(townCodes),
});

/**
 * Validates one uploaded roster (contract 2.1, 3.1, 3.2) in a single streaming pass, stages the
 * valid rows as Arrow when the file is accepted, and writes the department's reports.
 * The original object is only read, never changed.
 */
export async function validateRoster(
  upload: UploadIdentity,
  deps: { store: ObjectStore; now: () => string },
): Promise<ValidationOutcome> {
  const towns = await loadTowns(deps.store);
  const townCodes = towns.towns.map((t) => t.code);
  let pass = freshPass(townCodes);
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
  let unreadable: string | undefined;
  try {
    for await (const batch of readRecords(open, upload.fileName, upload.size)) {
      if (batch === RESTART) {
        pass = freshPass(townCodes);
        continue;
      }
      for (const record of batch) {
        if (record.row === 0) {
          const header = resolveRosterHeader(record.fields);
          pass.missing = header.missing;
          pass.context = { month: upload.month, towns, indexOf: header.indexOf };
          continue;
        }
        if (pass.context === undefined) {
          // No header record: the first record is the header even when blank (contract section 2).
          const header = resolveRosterHeader([]);
          pass.missing = header.missing;
          pass.context = { month: upload.month, towns, indexOf: header.indexOf };
        }
        if (pass.missing.length > 0) {
          // Keep reading: an unreadable file must still be reported as UNREADABLE_FILE first.
          pass.records++;
          continue;
        }
        const result = validateRosterRecord(record.fields, record.row, pass.context);
        if (result.kind === 'blank') {
          pass.blank++;
          continue;
        }
        pass.records++;
        if (result.kind === 'valid') {
          pass.writer.add(result.row);
          pass.amountFen += result.row.amountFen;
          continue;
        }
        pass.invalid++;
        for (const draft of result.findings) {
          pass.findings.push({
            month: upload.month,
            batch: upload.batch,
            row: record.row,
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

  const fileLevel = fileFinding({
    key: upload.key,
    unreadable,
    missing: pass.missing as Parameters<typeof fileFinding>[0]['missing'],
    dataRows: pass.records,
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
  const outcome: ValidationOutcome = {
    status: accepted ? 'ACCEPTED' : 'REJECTED',
    records: pass.records,
    blankRecords: pass.blank,
    validRows,
    invalidRows: accepted ? pass.invalid : 0,
    findings: findings.length,
    validAmountFen: accepted ? pass.amountFen : 0,
    encoding: fileKind(upload.fileName) === 'xlsx' ? 'xlsx' : opens > 1 ? 'gb18030' : 'utf-8',
    // A file over the size limit is not read at all, so it has no digest.
    ...(upload.size <= MAX_FILE_BYTES ? { sourceSha256: await source.digest() } : {}),
    stagedKey: accepted ? stagedKeyOf(upload) : undefined,
    reportKey: reportKeyOf(upload),
    readableReportKey: readableReportKeyOf(upload),
    fileFinding: fileLevel?.code,
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
