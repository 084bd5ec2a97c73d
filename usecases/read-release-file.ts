import {
  type ReleasedPayment,
  releasedPaymentOf,
  resolveReleaseHeader,
} from '#domain/closeout/released-payment.ts';
import { recordsOfBytes } from '#formats/all-records.ts';
import type { RawRecord } from '#formats/raw-record.ts';
import { UnreadableFileError } from '#formats/unreadable-file-error.ts';

/**
 * The payments of a `release.csv` (or its candidate), in file order. It is the pipeline's own
 * output, so anything wrong with it is a broken run, not data to report.
 * @throws Error when the file cannot be read, lacks a column or has a bad line.
 */
export async function parseReleaseFile(bytes: Uint8Array, key: string): Promise<ReleasedPayment[]> {
  let records: RawRecord[];
  try {
    records = await recordsOfBytes(bytes, key);
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new Error(`${key} cannot be read: ${error.reason}`);
    throw error;
  }
  const [header, ...data] = records;
  if (header === undefined) return [];
  const resolved = resolveReleaseHeader(header.fields);
  if (!resolved.ok) throw new Error(`${key} lacks column(s): ${resolved.missing.join(', ')}`);
  const payments: ReleasedPayment[] = [];
  for (const record of data) {
    const payment = releasedPaymentOf(record.fields, resolved.indexOf);
    if (payment === undefined) continue;
    if ('problem' in payment) throw new Error(`${key} row ${record.row}: ${payment.problem}`);
    payments.push(payment);
  }
  return payments;
}
