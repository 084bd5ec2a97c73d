import type {
  BatchState,
  RegisterResult,
  RunStateStore,
  UploadIdentity,
  ValidationOutcome,
} from '#usecases/ports.ts';

/**
 * A RunStateStore in memory for the month-check bench: it holds the batch states the bench's
 * setup recorded (one accepted upload per batch), so the month run reads them without DynamoDB.
 * Only what the month run and the setup need is implemented: registration keeps the newest
 * upload per batch, outcomes and failures are recorded on it.
 */
export class MemoryRunStateStore implements RunStateStore {
  private readonly batches = new Map<string, BatchState>();

  constructor(states: readonly BatchState[] = []) {
    for (const state of states) this.batches.set(`${state.month}/${state.batch}`, state);
  }

  async registerUpload(upload: UploadIdentity, at: string): Promise<RegisterResult> {
    const key = `${upload.month}/${upload.batch}`;
    const current = this.batches.get(key);
    if (current?.latestUploadId === upload.uploadId) return 'DUPLICATE';
    if (current !== undefined && current.latestOrder > upload.order) return 'SUPERSEDED';
    this.batches.set(key, {
      month: upload.month,
      batch: upload.batch,
      latestUploadId: upload.uploadId,
      latestKey: upload.key,
      latestOrder: upload.order,
      status: 'PENDING',
      updatedAt: at,
    });
    return 'REGISTERED';
  }

  async recordOutcome(upload: UploadIdentity, outcome: ValidationOutcome, at: string): Promise<boolean> {
    const current = this.batches.get(`${upload.month}/${upload.batch}`);
    if (current?.latestUploadId !== upload.uploadId) return false;
    this.batches.set(`${upload.month}/${upload.batch}`, {
      ...current,
      status: outcome.status,
      outcome,
      updatedAt: at,
    });
    return true;
  }

  async recordFailure(upload: UploadIdentity, reason: string, at: string): Promise<boolean> {
    const current = this.batches.get(`${upload.month}/${upload.batch}`);
    if (current?.latestUploadId !== upload.uploadId) return false;
    this.batches.set(`${upload.month}/${upload.batch}`, {
      ...current,
      status: 'FAILED',
      failure: reason,
      updatedAt: at,
    });
    return true;
  }

  async listBatches(month: string): Promise<BatchState[]> {
    return [...this.batches.values()].filter((b) => b.month === month);
  }

  private readonly notices = new Map<string, boolean>();

  async claimRejectionNotice(uploadId: string): Promise<boolean> {
    if (this.notices.get(uploadId) === true) return false;
    this.notices.set(uploadId, true);
    return true;
  }

  async settleRejectionNotice(uploadId: string, sent: boolean): Promise<void> {
    this.notices.set(uploadId, sent);
  }
}
