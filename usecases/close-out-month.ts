import { createHash, type Hash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  type BankReturnHeader,
  resolveBankReturnHeader,
  returnLineOf,
} from '#domain/closeout/bank-return-header.ts';
import {
  type CloseoutFileProblem,
  missingReturnColumns,
  unreadableReturnFile,
} from '#domain/closeout/closeout-file-problem.ts';
import { CloseoutLedger, type ReissueEntry } from '#domain/closeout/closeout-ledger.ts';
import type { CloseoutRow } from '#domain/closeout/closeout-row.ts';
import { CloseoutTally } from '#domain/closeout/closeout-tally.ts';
import { releasedRefOf, releasedTermsOf } from '#domain/closeout/released-payment.ts';
import { NotPlainUtf8CsvError } from '#formats/csv-byte-rows.ts';
import { csvLine } from '#formats/csv-writer.ts';
import { RESTART, readRecords } from '#formats/roster-file.ts';
import { UnreadableFileError } from '#formats/unreadable-file-error.ts';
import { closeoutCsv, closeoutJson, reissueCsv, releaseFile } from '#schemas/bucket-layout.ts';
import {
  CLOSEOUT_CSV_COLUMNS,
  type CloseOutMonthInput,
  type CloseoutCode,
  type CloseoutResult,
  REISSUE_CSV_COLUMNS,
  type ReleasedPayment,
} from '#schemas/closeout.ts';
import { formatFen } from '#schemas/money.ts';
import { isMonth } from '#schemas/month.ts';
import { listBankReturns } from './bank-returns.ts';
import { InvalidTaskInputError, UploadVanishedError } from './errors.ts';
import { patchMonthSummary } from './month-summary.ts';
import type { AuditTrail, ObjectStore, StoredObject } from './ports.ts';
import { readJsonIfWhole } from './read-json.ts';
import {
  checkedReleaseRecord,
  type ReleaseReader,
  releasedPaymentOfRecord,
  reopenable,
  streamReleaseBatches,
} from './read-release-file.ts';

/**
 * The month has no `reports/{month}/release.csv`: nothing was released, so there is nothing to
 * close out. The class name is the Step Functions error name.
 */
export class ReleaseNotFoundError extends Error {
  override readonly name = 'ReleaseNotFoundError';
}

/** Where the close-out of a month reads and writes. */
const closeoutKeys = (month: string) => ({
  release: releaseFile.key({ month }),
  closeout: closeoutCsv.key({ month }),
  reissue: reissueCsv.key({ month }),
  closeoutJson: closeoutJson.key({ month }),
});

/**
 * Content of `closeout.json`, also set as the `closeout` key of the month's `summary.json`.
 * Amounts are yuan with exactly 2 decimals (see `CloseoutTotals` for what each one sums).
 */
export interface CloseoutReport {
  readonly month: string;
  readonly closed: boolean;
  readonly state: 'CLOSED' | 'OPEN';
  /** When this outcome was first found: a re-run over the same inputs keeps it, so files stay identical. */
  readonly checkedAt: string;
  /** Every bank return file of the month, by key; `rows`: its non-blank lines judged (0 for a file problem). */
  readonly sources: readonly { key: string; etag: string; rows: number }[];
  readonly fileProblems: readonly CloseoutFileProblem[];
  readonly countsByCode: Readonly<Record<CloseoutCode, number>>;
  readonly releasedPayments: number;
  readonly releasedAmount: string;
  readonly paidAmount: string;
  readonly failedAmount: string;
  readonly notReturned: number;
  /** SHA-256 (hex) of `closeout.csv`. */
  readonly closeoutSha256: string;
}

const fen = (value: number | undefined) => (value === undefined ? '' : formatFen(value));

/**
 * Closes a month out against the bank's return files (contract 3.4).
 *
 * Reads the release (`reports/{month}/release.csv`) and every bank return file of the month: the
 * `.csv` files (extension in any case) directly in `bank-returns/{month}/` whose names do not start
 * with `.`, in key order, each UTF-8 or GB18030. A file that cannot be read or lacks a required
 * column (`payment_ref`, `account_number`, `amount`, `status`) is a file problem: its lines are not
 * judged and the month stays open. A 0-byte file has no lines and no problem. The lines of the
 * other files are reconciled with the release by the rules `reconcileCloseout` documents.
 *
 * Streams: the release is read once into a compact {@link CloseoutLedger}, the bank files are
 * judged line by line as they are read, and `closeout.csv` is written as the release is read a
 * second time; what is held is a few dozen bytes per payment plus the rows of what was not plainly
 * paid (and `reissue.csv`, the failed payments), never a whole file. The release is read from its
 * bytes, each field decoded only when needed (its ref, row, account and amount the first time, its
 * ref the second: at 1M payments the close-out took 15.5 s of CPU reading every field as text, 9–10 s
 * so), and as text when the byte reader refuses it (see `releaseLedger`).
 *
 * Writes `closeout.csv`, `reissue.csv` (header only when nothing failed), `closeout.json`, sets the
 * `closeout` key of `summary.json` when that file exists (other keys untouched), and appends one
 * audit entry (`MONTH_CLOSED` or `CLOSEOUT_OPEN`) carrying the SHA-256 of `closeout.csv`.
 * Idempotent: a re-run over the same release and bank files writes identical files.
 *
 * @throws ReleaseNotFoundError when the month has no `release.csv`.
 * @throws InvalidTaskInputError when `month` is not `YYYY-MM`.
 * @throws Error when `release.csv` is broken (unreadable, a column missing, a bad line): it is the
 *   pipeline's own output, so that is a broken run, not data to report.
 */
export async function closeOutMonth(
  input: CloseOutMonthInput,
  deps: { store: ObjectStore; audit: AuditTrail; now: () => string },
): Promise<CloseoutResult> {
  const { month } = input;
  if (!isMonth(month)) throw new InvalidTaskInputError(`not a YYYY-MM month: "${month}"`);
  const keys = closeoutKeys(month);
  const openRelease = await releaseOpener(deps.store, keys.release);
  const { ledger, reader } = await releaseLedger(openRelease, keys.release);

  const files = await listBankReturns(deps.store, month);
  const fileProblems: CloseoutFileProblem[] = [];
  const sources: { key: string; etag: string; rows: number }[] = [];
  for (const file of files) {
    const judged = await judgeReturnFile(deps.store, file, ledger);
    if ('problem' in judged) fileProblems.push(judged.problem);
    sources.push({ key: file.key, etag: file.etag, rows: 'problem' in judged ? 0 : judged.rows });
  }

  // The release is read a second time to write each payment's rows in release order.
  const tally = new CloseoutTally();
  const reissueLines: string[] = [csvLine(REISSUE_CSV_COLUMNS)];
  const closeoutHash = createHash('sha256');
  await deps.store.putStream(
    keys.closeout,
    hashing(closeoutPieces(openRelease, keys.release, reader, ledger, tally, reissueLines), closeoutHash),
    'text/csv; charset=utf-8',
  );
  const closed = tally.closed && fileProblems.length === 0;
  const reissueCsv = reissueLines.join('');
  const closeoutSha256 = closeoutHash.digest('hex');
  const { countsByCode, totals } = tally;
  const draft: Omit<CloseoutReport, 'checkedAt'> = {
    month,
    closed,
    state: closed ? 'CLOSED' : 'OPEN',
    sources,
    fileProblems,
    countsByCode,
    releasedPayments: totals.releasedPayments,
    releasedAmount: formatFen(totals.releasedAmountFen),
    paidAmount: formatFen(totals.paidAmountFen),
    failedAmount: formatFen(totals.failedAmountFen),
    notReturned: totals.notReturned,
    closeoutSha256,
  };
  const at = deps.now();
  const checkedAt = (await unchangedCheckedAt(deps.store, keys, draft, reissueCsv)) ?? at;
  const report = withCheckedAt(draft, checkedAt);
  const reportJson = `${JSON.stringify(report, null, 2)}\n`;

  await deps.store.put(keys.reissue, reissueCsv, 'text/csv; charset=utf-8');
  await deps.store.put(keys.closeoutJson, reportJson, 'application/json');
  await patchMonthSummary(deps.store, month, { closeout: report });
  await deps.audit.append({
    month,
    action: closed ? 'MONTH_CLOSED' : 'CLOSEOUT_OPEN',
    actor: 'payguard:close-out',
    at,
    contentSha256: closeoutSha256,
    subject: keys.closeout,
    details: {
      countsByCode,
      sources: sources.map((s) => ({ key: s.key, etag: s.etag })),
      fileProblems: fileProblems.length,
    },
  });
  return {
    month,
    closed,
    closeoutKey: keys.closeout,
    reissueKey: keys.reissue,
    closeoutJsonKey: keys.closeoutJson,
    countsByCode: { ...countsByCode },
    sources: sources.map((s) => ({ key: s.key, etag: s.etag })),
  };
}

/** The report with `checkedAt`, keys in the documented order (`checkedAt` after `state`). */
function withCheckedAt(draft: Omit<CloseoutReport, 'checkedAt'>, checkedAt: string): CloseoutReport {
  const { month, closed, state, ...rest } = draft;
  return { month, closed, state, checkedAt, ...rest };
}

/**
 * The `checkedAt` of the close-out already written when it found exactly this outcome (same report
 * apart from `checkedAt`, same `reissue.csv`), so that a re-run rewrites identical files.
 */
async function unchangedCheckedAt(
  store: ObjectStore,
  keys: ReturnType<typeof closeoutKeys>,
  draft: Omit<CloseoutReport, 'checkedAt'>,
  reissueCsv: string,
): Promise<string | undefined> {
  const previous = await readJsonIfWhole(store, keys.closeoutJson);
  if (typeof previous !== 'object' || previous === null || !('checkedAt' in previous)) return undefined;
  const { checkedAt, ...rest } = previous as { checkedAt: unknown };
  if (typeof checkedAt !== 'string' || !isDeepStrictEqual(rest, JSON.parse(JSON.stringify(draft)))) {
    return undefined;
  }
  const previousReissue = await store.readBytes(keys.reissue);
  return previousReissue !== undefined && Buffer.from(previousReissue).toString('utf8') === reissueCsv
    ? checkedAt
    : undefined;
}

/**
 * Opens of the month's `release.csv` (see `reopenable`), the first one made now so that a month
 * never released is told apart from a broken release.
 * @throws ReleaseNotFoundError when it does not exist.
 */
async function releaseOpener(
  store: ObjectStore,
  key: string,
): Promise<() => Promise<AsyncIterable<Uint8Array>>> {
  try {
    return await reopenable(store, key);
  } catch (error) {
    if (error instanceof UploadVanishedError)
      throw new ReleaseNotFoundError(`${key} does not exist: the month was not released`);
    throw error;
  }
}

/**
 * The release read into a {@link CloseoutLedger}, each line checked, and how it was read: from
 * its bytes when it is a file the byte reader reads (a release the pipeline wrote nearly always
 * is), else as text from its start again. The second read, which needs only the refs, then reads it
 * the same way.
 */
async function releaseLedger(
  openRelease: () => Promise<AsyncIterable<Uint8Array>>,
  key: string,
): Promise<{ ledger: CloseoutLedger; reader: ReleaseReader }> {
  const read = async (reader: ReleaseReader) => {
    const ledger = new CloseoutLedger();
    for await (const batch of streamReleaseBatches(openRelease, key, reader)) {
      for (let i = 0; i < batch.count; i++) {
        const record = batch.record(i);
        const terms = checkedReleaseRecord(releasedTermsOf(record, batch.indexOf), record, key);
        if (terms !== undefined) ledger.addPayment(terms);
      }
    }
    return { ledger, reader };
  };
  try {
    return await read('bytes');
  } catch (error) {
    if (!(error instanceof NotPlainUtf8CsvError)) throw error;
    return await read('text');
  }
}

/**
 * Judges the non-blank lines of one bank return file as they are read, or says why they cannot be
 * judged: then none of them is (the ledger forgets those it saw), nor any line read as UTF-8 before
 * the file turned out to be GB18030.
 */
async function judgeReturnFile(
  store: ObjectStore,
  file: StoredObject,
  ledger: CloseoutLedger,
): Promise<{ rows: number } | { problem: CloseoutFileProblem }> {
  let header: BankReturnHeader | undefined;
  let rows = 0;
  try {
    for await (const batch of readRecords(() => store.open(file.key), file.key, file.size)) {
      if (batch === RESTART) {
        ledger.discardFile(file.key);
        header = undefined;
        rows = 0;
        continue;
      }
      for (const record of batch) {
        if (record.row === 0) header = resolveBankReturnHeader(record.fields);
        // A file lacking a column is reported whole; its lines are not judged.
        else if (header !== undefined && header.missing.length === 0) {
          const line = returnLineOf(file.key, record.row, record.fields, header);
          if (line === undefined) continue;
          ledger.judge(line);
          rows++;
        }
      }
    }
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    ledger.discardFile(file.key);
    return { problem: unreadableReturnFile(file.key, error.reason) };
  }
  if (header !== undefined && header.missing.length > 0) {
    return { problem: missingReturnColumns(file.key, header.missing) };
  }
  return { rows };
}

/**
 * The text of `closeout.csv` piece by piece (a piece per batch of the release read again): each
 * payment's rows in release order, then the rows of never-released lines. Adds every row to
 * `tally` and the line of every failed payment to `reissue` as it goes.
 * @throws Error when the release read again is not the release the ledger holds.
 */
async function* closeoutPieces(
  openRelease: () => Promise<AsyncIterable<Uint8Array>>,
  releaseKey: string,
  reader: ReleaseReader,
  ledger: CloseoutLedger,
  tally: CloseoutTally,
  reissue: string[],
): AsyncGenerator<string> {
  let text = csvLine(CLOSEOUT_CSV_COLUMNS);
  let position = 0;
  // Only the refs are read from each line: the release was checked line by line on the first read.
  const batches = streamReleaseBatches(openRelease, releaseKey, reader);
  try {
    for await (const { indexOf, count, record: recordAt } of batches) {
      for (let i = 0; i < count; i++) {
        const record = recordAt(i);
        const ref = releasedRefOf(record, indexOf);
        if (ref === undefined) continue;
        const settled = ledger.settle(position++, ref);
        tally.addPayment(settled);
        for (const row of settled.rows) text += closeoutLine(row);
        if (settled.reissueReason !== undefined) {
          // Not blank: it has a ref.
          const payment = releasedPaymentOfRecord(record, indexOf, releaseKey) as ReleasedPayment;
          reissue.push(reissueLine({ ...payment, reason: settled.reissueReason }));
        }
      }
      yield text;
      text = '';
    }
  } catch (error) {
    // Read from its bytes the first time, the file is no longer one the byte reader reads.
    if (error instanceof NotPlainUtf8CsvError) throw new Error(`${releaseKey} changed while closing out`);
    throw error;
  }
  if (position !== ledger.size) {
    throw new Error(`${releaseKey} changed while closing out: ${position} payments, ${ledger.size} before`);
  }
  const unreleased = ledger.unreleasedRows();
  tally.addRows(unreleased);
  for (const row of unreleased) {
    text += closeoutLine(row);
    if (text.length >= 1 << 20) {
      yield text;
      text = '';
    }
  }
  yield text;
}

/** Passes the pieces through, adding each one (as UTF-8) to `hash`. */
async function* hashing(pieces: AsyncIterable<string>, hash: Hash): AsyncGenerator<string> {
  for await (const piece of pieces) {
    hash.update(piece);
    yield piece;
  }
}

/** A row of `closeout.csv`. */
function closeoutLine(r: CloseoutRow): string {
  return csvLine([r.paymentRef, r.code, fen(r.releasedAmountFen), fen(r.paidAmountFen), r.detail]);
}

/** A line of `reissue.csv`: the payment as released, with the bank's reason. */
function reissueLine(p: ReissueEntry): string {
  return csvLine([
    p.paymentRef,
    p.batch,
    p.row,
    p.idNumber,
    p.name,
    p.accountNumber,
    formatFen(p.amountFen),
    p.category,
    p.town,
    p.reason,
  ]);
}
