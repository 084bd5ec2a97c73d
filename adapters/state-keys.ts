/**
 * Keys of the state table items more than one adapter reads: the run state writes them, the town
 * desk reads them.
 */

/** One upload (file version) of a roster. */
export const uploadKey = (uploadId: string) => ({ pk: `UPLOAD#${uploadId}`, sk: 'UPLOAD' });

/** The batch of a month, pointing at its newest upload. */
export const batchKey = (month: string, batch: string) => ({ pk: `MONTH#${month}`, sk: `BATCH#${batch}` });

/** The partition listing a batch's uploads of a month, in upload order (the desk shows them all). */
export const batchUploadsPartition = (month: string, batch: string) => `BATCH_UPLOADS#${month}#${batch}`;

/** One entry of {@link batchUploadsPartition}: sorts by upload order, then upload id. */
export const batchUploadKey = (month: string, batch: string, order: string, uploadId: string) => ({
  pk: batchUploadsPartition(month, batch),
  sk: `${order}#${uploadId}`,
});

/** The claim that a rejected upload's e-mail to its town office went out (once per upload). */
export const rejectionNoticeKey = (uploadId: string) => ({
  pk: `UPLOAD#${uploadId}`,
  sk: 'REJECTION_NOTICE',
});
