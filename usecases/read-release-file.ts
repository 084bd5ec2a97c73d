import { releasedPaymentOf, resolveReleaseHeader } from '#domain/closeout/released-payment.ts';
import { convertRecords } from '#formats/all-records.ts';
import { UnreadableFileError } from '#formats/unreadable-file-error.ts';
import { releaseCandidate, releaseFile } from '#schemas/bucket-layout.ts';
import type { ReleasedPayment } from '#schemas/closeout.ts';
import type { ObjectStore } from './ports.ts';

/**
 * The payments of a `release.csv` (or its candidate), in file order. It is the pipeline's own
 * output, so anything wrong with it is a broken run, not data to report.
 * @throws Error when the file cannot be read, lacks a column or has a bad line.
 */
export async function parseReleaseFile(bytes: Uint8Array, key: string): Promise<ReleasedPayment[]> {
  const header = (fields: readonly string[]) => {
    const resolved = resolveReleaseHeader(fields);
    if (!resolved.ok) throw new Error(`${key} lacks column(s): ${resolved.missing.join(', ')}`);
    return resolved;
  };
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
