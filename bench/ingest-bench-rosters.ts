import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { rosterUpload } from '#schemas/bucket-layout.ts';
import type { UploadIdentity } from '#usecases/ports.ts';
import { validateRoster } from '#usecases/validate-roster.ts';
import type { FileObjectStore } from './file-object-store.ts';
import type { MemoryRunStateStore } from './memory-run-state.ts';
import { BENCH_MONTH } from './month-generator.ts';

/**
 * Registers and checks every batch's `roster.csv` of the generated month in `dir`, in batch order,
 * as the ingest does (RegisterUpload, ValidateRoster, RecordOutcome), with no workflow around it.
 */
export async function ingestBenchRosters(
  dir: string,
  deps: {
    store: FileObjectStore;
    state: MemoryRunStateStore;
    now: () => string;
    bucket?: string;
    /** Staged rows per roster shard (tests force many shards with it). */
    rowsPerShard?: number | undefined;
  },
): Promise<void> {
  const { store, state, now } = deps;
  // The file store lists a folder's entries: here the batch folders.
  const folder = rosterUpload.folder({ month: BENCH_MONTH });
  const batches = (await store.list(folder)).map((o) => o.key.slice(folder.length)).sort();
  for (const batch of batches) {
    const key = rosterUpload.key({ month: BENCH_MONTH, batch, file: 'roster.csv' });
    const upload: UploadIdentity = {
      bucket: deps.bucket ?? 'bench',
      key,
      version: '1',
      month: BENCH_MONTH,
      batch,
      fileName: 'roster.csv',
      size: (await stat(join(dir, key))).size,
      order: '1',
      uploadId: createHash('sha256').update(key).digest('hex').slice(0, 16),
    };
    await state.registerUpload(upload, now());
    const outcome = await validateRoster(upload, { store, now, rowsPerShard: deps.rowsPerShard });
    await state.recordOutcome(upload, outcome, now());
  }
}
