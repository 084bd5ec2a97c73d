import { releasedPaymentOf, resolveReleaseHeader } from '#domain/closeout/released-payment.ts';
import { convertRecords } from '#formats/all-records.ts';
import { RESTART, readRecords } from '#formats/roster-file.ts';
import { UnreadableFileError } from '#formats/unreadable-file-error.ts';
import { releaseCandidate, releaseFile } from '#schemas/bucket-layout.ts';
import type { ReleasedPayment } from '#schemas/closeout.ts';
import type { ObjectStore } from './ports.ts';

/**
 * The size `readRecords` is told for a release streamed without listing it: any size under the
 * limit, since the limit is also enforced on the bytes as they stream (`limitBytes`).
 */
const STREAMED = 1;

/**
 * The payments of a `release.csv` batch by batch as it is read, in file order, so a release of a
 * million payments is never held whole. Same reading as {@link parseReleaseFile}, except that a
 * release which turns out not to be UTF-8 after payments were yielded is refused: they cannot be
 * taken back (the pipeline writes every release as UTF-8).
 * @param open opens a fresh byte stream of the file (called once).
 * @throws Error when the file cannot be read, lacks a column or has a bad line.
 */
export async function* streamReleaseFile(
  open: () => Promise<AsyncIterable<Uint8Array>>,
  key: string,
): AsyncGenerator<ReleasedPayment[]> {
  let header: ReturnType<typeof releaseHeader> | undefined;
  try {
    for await (const batch of readRecords(open, key, STREAMED)) {
      if (batch === RESTART) throw new Error(`${key} cannot be read: it is not UTF-8`);
      const payments: ReleasedPayment[] = [];
      for (const record of batch) {
        if (record.row === 0) header = releaseHeader(record.fields, key);
        else if (header !== undefined) {
          const payment = releasedPaymentOf(record.fields, header.indexOf);
          if (payment !== undefined && 'problem' in payment) {
            throw new Error(`${key} row ${record.row}: ${payment.problem}`);
          }
          if (payment !== undefined) payments.push(payment);
        }
      }
      yield payments;
    }
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new Error(`${key} cannot be read: ${error.reason}`);
    throw error;
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
  try {
    const { items } = await convertRecords(
      async () =>
        (async function* whole() {
          yield bytes;
        })(),
      key,
      bytes.length,
      header,
      (resolved, record) => {
        const payment = releasedPaymentOf(record.fields, resolved.indexOf);
        if (payment !== undefined && 'problem' in payment) {
          throw new Error(`${key} row ${record.row}: ${payment.problem}`);
        }
        return payment;
      },
    );
    return items;
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new Error(`${key} cannot be read: ${error.reason}`);
    throw error;
  }
}

/**
 * The month's payments: the approved release (`reports/{month}/release.csv`) when there is one,
 * else the latest release candidate (`reports/{month}/release-candidate.csv`, what the checks let
 * through before approval); `undefined` when the month has neither.
 */
export async function readMonthPayments(
  store: ObjectStore,
  month: string,
): Promise<ReleasedPayment[] | undefined> {
  for (const key of [releaseFile.key({ month }), releaseCandidate.key({ month })]) {
    const bytes = await store.readBytes(key);
    if (bytes !== undefined) return parseReleaseFile(bytes, key);
  }
  return undefined;
}
