import { createHash } from 'node:crypto';
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
import { reconcileCloseout } from '#domain/closeout/reconcile-closeout.ts';
import type { ReturnLine } from '#domain/closeout/return-line.ts';
import { convertRecords } from '#formats/all-records.ts';
import { csvLine } from '#formats/csv-writer.ts';
import { UnreadableFileError } from '#formats/unreadable-file-error.ts';
import { closeoutCsv, closeoutJson, reissueCsv, releaseFile } from '#schemas/bucket-layout.ts';
import type { ReleasedPayment } from '#schemas/closeout.ts';
import {
  CLOSEOUT_CSV_COLUMNS,
  type CloseOutMonthInput,
  type CloseoutCode,
  type CloseoutResult,
  REISSUE_CSV_COLUMNS,
} from '#schemas/closeout.ts';
import { formatFen } from '#schemas/money.ts';
import { isMonth } from '#schemas/month.ts';
import { listBankReturns } from './bank-returns.ts';
import { InvalidTaskInputError } from './errors.ts';
import { patchMonthSummary } from './month-summary.ts';
import type { AuditTrail, ObjectStore, StoredObject } from './ports.ts';
import { parseReleaseFile } from './read-release-file.ts';

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

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const fen = (value: number | undefined) => (value === undefined ? '' : formatFen(value));

/**
 * Closes a month out against the bank's return files (contract 3.4).
 *
 * Reads the release (`reports/{month}/release.csv`) and every bank return file of the month: the
 * `.csv` files (extension in any case) directly in `bank-returns/{month}/` whose names do not start
 * with `.`, in key order, each UTF-8 or GB18030. A file that cannot be read or lacks a required
 * column (`payment_ref`, `account_number`, `amount`, `status`) is a file problem: its lines are not
 * judged and the month stays open. A 0-byte file has no lines and no problem. The lines of the
 * other files are reconciled with the release (`reconcileCloseout`, which documents the rules).
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
  const released = await readRelease(deps.store, keys.release);

  const files = await listBankReturns(deps.store, month);
  const lines: ReturnLine[] = [];
  const fileProblems: CloseoutFileProblem[] = [];
  const sources: { key: string; etag: string; rows: number }[] = [];
  for (const file of files) {
    const read = await readReturnFile(deps.store, file);
    if ('problem' in read) {
      fileProblems.push(read.problem);
      sources.push({ key: file.key, etag: file.etag, rows: 0 });
      continue;
    }
    for (const line of read.lines) lines.push(line);
    sources.push({ key: file.key, etag: file.etag, rows: read.lines.length });
  }

  const reconciliation = reconcileCloseout(released, lines);
  const closed = reconciliation.closed && fileProblems.length === 0;
  const closeoutCsv =
    csvLine(CLOSEOUT_CSV_COLUMNS) +
    reconciliation.rows
      .map((r) => csvLine([r.paymentRef, r.code, fen(r.releasedAmountFen), fen(r.paidAmountFen), r.detail]))
      .join('');
  const reissueCsv =
    csvLine(REISSUE_CSV_COLUMNS) +
    reconciliation.reissue
      .map((p) =>
        csvLine([
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
        ]),
      )
      .join('');
  const closeoutSha256 = sha256(closeoutCsv);
  const { totals } = reconciliation;
  const draft: Omit<CloseoutReport, 'checkedAt'> = {
    month,
    closed,
    state: closed ? 'CLOSED' : 'OPEN',
    sources,
    fileProblems,
    countsByCode: reconciliation.countsByCode,
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

  await deps.store.put(keys.closeout, closeoutCsv, 'text/csv; charset=utf-8');
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
      countsByCode: reconciliation.countsByCode,
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
    countsByCode: { ...reconciliation.countsByCode },
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
  const previousJson = await store.readBytes(keys.closeoutJson);
  if (previousJson === undefined) return undefined;
  let previous: unknown;
  try {
    previous = JSON.parse(Buffer.from(previousJson).toString('utf8'));
  } catch {
    return undefined;
  }
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

/** The released payments of `release.csv`, in release order. */
async function readRelease(store: ObjectStore, key: string): Promise<ReleasedPayment[]> {
  const bytes = await store.readBytes(key);
  if (bytes === undefined)
    throw new ReleaseNotFoundError(`${key} does not exist: the month was not released`);
  return parseReleaseFile(bytes, key);
}

/** The non-blank lines of one bank return file, or the reason they cannot be judged. */
async function readReturnFile(
  store: ObjectStore,
  file: StoredObject,
): Promise<{ lines: ReturnLine[] } | { problem: CloseoutFileProblem }> {
  let read: { header: BankReturnHeader | undefined; items: ReturnLine[] };
  try {
    read = await convertRecords(
      () => store.open(file.key),
      file.key,
      file.size,
      resolveBankReturnHeader,
      // A file lacking a column is reported whole; its lines are not judged.
      (header, record) =>
        header.missing.length > 0 ? undefined : returnLineOf(file.key, record.row, record.fields, header),
    );
  } catch (error) {
    if (error instanceof UnreadableFileError)
      return { problem: unreadableReturnFile(file.key, error.reason) };
    throw error;
  }
  if (read.header === undefined) return { lines: [] };
  if (read.header.missing.length > 0) return { problem: missingReturnColumns(file.key, read.header.missing) };
  return { lines: read.items };
}
