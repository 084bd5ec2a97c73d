import { ArrayFields, type RecordFields } from '#domain/closeout/record-fields.ts';
import { releasedPaymentOf, resolveReleaseHeader } from '#domain/closeout/released-payment.ts';
import { convertRecords } from '#formats/all-records.ts';
import { ByteRecord, byteRowsOf } from '#formats/byte-record.ts';
import type { RawRecord } from '#formats/raw-record.ts';
import { RESTART, readRecords } from '#formats/roster-file.ts';
import { UnreadableFileError } from '#formats/unreadable-file-error.ts';
import { releaseCandidate, releaseFile } from '#schemas/bucket-layout.ts';
import type { ReleaseCsvColumn, ReleasedPayment } from '#schemas/closeout.ts';
import { UploadVanishedError } from './errors.ts';
import type { ObjectStore } from './ports.ts';

/**
 * The size `readRecords` is told for a release streamed without listing it: any size under the
 * limit, since the limit is also enforced on the bytes as they stream (`limitBytes`).
 */
const STREAMED = 1;

/**
 * How a release is read: from its bytes (`'bytes'`, `byteRowsOf`: a field becomes a string only
 * when it is read), or as text (`'text'`, `readRecords`, which reads any CSV). Both give the same
 * records; `'bytes'` refuses a file it does not read with `NotPlainUtf8CsvError` (see
 * `CsvByteRows`), and its reader then reads it as text.
 */
export type ReleaseReader = 'bytes' | 'text';

/** One data record of a release, read field by field (a cursor: valid until the next is asked for). */
export type ReleaseRecord = RecordFields & { readonly row: number };

/** A batch of data records of a `release.csv`, with the field index of every column. */
export interface ReleaseBatch {
  readonly indexOf: Readonly<Record<ReleaseCsvColumn, number>>;
  readonly count: number;
  /** Record `i` of the batch, `0 ≤ i < count`: a cursor, valid until the next call. */
  record(i: number): ReleaseRecord;
}

/**
 * The data records of a `release.csv` batch by batch as it is read, in file order, so a release of
 * a million payments is never held whole. A release which turns out not to be UTF-8 after records
 * were yielded is refused: they cannot be taken back (the pipeline writes every release as UTF-8).
 * @param open opens a fresh byte stream of the file (called once).
 * @throws Error when the file cannot be read or lacks a column; NotPlainUtf8CsvError (`'bytes'`)
 *   when it is not a file the byte reader reads.
 */
export async function* streamReleaseBatches(
  open: () => Promise<AsyncIterable<Uint8Array>>,
  key: string,
  reader: ReleaseReader = 'text',
): AsyncGenerator<ReleaseBatch> {
  try {
    yield* reader === 'bytes' ? byteBatches(open, key) : textBatches(open, key);
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new Error(`${key} cannot be read: ${error.reason}`);
    throw error;
  }
}

/** The batches of {@link streamReleaseBatches} as the text reader reads the file. */
async function* textBatches(
  open: () => Promise<AsyncIterable<Uint8Array>>,
  key: string,
): AsyncGenerator<ReleaseBatch> {
  let indexOf: ReleaseBatch['indexOf'] | undefined;
  const cursor = new ArrayFields();
  for await (const batch of readRecords(open, key, STREAMED)) {
    if (batch === RESTART) throw new Error(`${key} cannot be read: it is not UTF-8`);
    const from = batch[0]?.row === 0 ? 1 : 0;
    if (from === 1) indexOf = releaseHeader((batch[0] as RawRecord).fields, key).indexOf;
    if (indexOf === undefined || batch.length === from) continue;
    yield {
      indexOf,
      count: batch.length - from,
      record: (i) => {
        const record = batch[i + from] as RawRecord;
        return cursor.of(record.fields, record.row);
      },
    };
  }
}

/** The batches of {@link streamReleaseBatches} as the byte reader reads the file (see `byteRowsOf`). */
async function* byteBatches(
  open: () => Promise<AsyncIterable<Uint8Array>>,
  key: string,
): AsyncGenerator<ReleaseBatch> {
  let indexOf: ReleaseBatch['indexOf'] | undefined;
  const cursor = new ByteRecord();
  for await (const rows of byteRowsOf(await open())) {
    const from = rows.firstRow === 0 && rows.count > 0 ? 1 : 0;
    if (from === 1) indexOf = releaseHeader(cursor.at(rows, 0).fields(), key).indexOf;
    if (indexOf === undefined || rows.count === from) continue;
    yield { indexOf, count: rows.count - from, record: (i) => cursor.at(rows, i + from) };
  }
}

/**
 * The payment of one data record of a release read by {@link streamReleaseBatches}, or `undefined`
 * for a blank record.
 * @throws Error when the record is a bad line.
 */
export function releasedPaymentOfRecord(
  record: ReleaseRecord,
  indexOf: Readonly<Record<ReleaseCsvColumn, number>>,
  key: string,
): ReleasedPayment | undefined {
  return checkedReleaseRecord(releasedPaymentOf(record, indexOf), record, key);
}

/**
 * What was read of `record` (`releasedPaymentOf`, `releasedTermsOf`), or `undefined` for a blank
 * record.
 * @throws Error naming the file and row when the record is a bad line.
 */
export function checkedReleaseRecord<T extends object>(
  read: T | { readonly problem: string } | undefined,
  record: ReleaseRecord,
  key: string,
): T | undefined {
  if (read !== undefined && 'problem' in read) throw new Error(`${key} row ${record.row}: ${read.problem}`);
  return read;
}

/**
 * The payments of a `release.csv` batch by batch as it is read, in file order (see
 * {@link streamReleaseBatches}); same reading as {@link parseReleaseFile} otherwise.
 * @throws Error when the file cannot be read, lacks a column or has a bad line.
 */
export async function* streamReleaseFile(
  open: () => Promise<AsyncIterable<Uint8Array>>,
  key: string,
): AsyncGenerator<ReleasedPayment[]> {
  for await (const batch of streamReleaseBatches(open, key)) {
    const payments: ReleasedPayment[] = [];
    for (let i = 0; i < batch.count; i++) {
      const payment = releasedPaymentOfRecord(batch.record(i), batch.indexOf, key);
      if (payment !== undefined) payments.push(payment);
    }
    yield payments;
  }
}

/** The columns of a release's header. @throws Error when it lacks one. */
function releaseHeader(fields: readonly string[], key: string) {
  const resolved = resolveReleaseHeader(fields);
  if (!resolved.ok) throw new Error(`${key} lacks column(s): ${resolved.missing.join(', ')}`);
  return resolved;
}

/**
 * The payments of a `release.csv` (or its candidate), in file order. It is the pipeline's own
 * output, so anything wrong with it is a broken run, not data to report.
 * @throws Error when the file cannot be read, lacks a column or has a bad line.
 */
export async function parseReleaseFile(bytes: Uint8Array, key: string): Promise<ReleasedPayment[]> {
  const header = (fields: readonly string[]) => releaseHeader(fields, key);
  const cursor = new ArrayFields();
  try {
    const { items } = await convertRecords(
      async () =>
        (async function* whole() {
          yield bytes;
        })(),
      key,
      bytes.length,
      header,
      (resolved, record) =>
        releasedPaymentOfRecord(cursor.of(record.fields, record.row), resolved.indexOf, key),
    );
    return items;
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new Error(`${key} cannot be read: ${error.reason}`);
    throw error;
  }
}

/**
 * Opens `key` now and returns its opener: the stream opened now the first time, a fresh one each
 * time after (a reader may read the file again, e.g. as text after its byte reader refused it).
 * @throws UploadVanishedError when there is no such object.
 */
export async function reopenable(
  store: ObjectStore,
  key: string,
): Promise<() => Promise<AsyncIterable<Uint8Array>>> {
  let unread: AsyncIterable<Uint8Array> | undefined = await store.open(key);
  return async () => {
    const opened = unread ?? (await store.open(key));
    unread = undefined;
    return opened;
  };
}

/**
 * The month's release file, opened: the approved release (`reports/{month}/release.csv`) when
 * there is one, else the latest release candidate (`reports/{month}/release-candidate.csv`, what
 * the checks let through before approval); `undefined` when the month has neither.
 */
export async function openMonthReleaseFile(
  store: ObjectStore,
  month: string,
): Promise<{ key: string; open: () => Promise<AsyncIterable<Uint8Array>> } | undefined> {
  for (const key of [releaseFile.key({ month }), releaseCandidate.key({ month })]) {
    try {
      return { key, open: await reopenable(store, key) };
    } catch (error) {
      if (error instanceof UploadVanishedError) continue;
      throw error;
    }
  }
  return undefined;
}

/**
 * The month's payments as they stream by, from the file {@link openMonthReleaseFile} opens, read
 * batch by batch in file order (see {@link streamReleaseFile}); `undefined` when the month has
 * neither file.
 * @throws Error when the file is broken (as it streams).
 */
export async function openMonthPayments(
  store: ObjectStore,
  month: string,
): Promise<{ key: string; payments: AsyncIterable<ReleasedPayment[]> } | undefined> {
  const file = await openMonthReleaseFile(store, month);
  return file && { key: file.key, payments: streamReleaseFile(file.open, file.key) };
}
