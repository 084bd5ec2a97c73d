import { createHash } from 'node:crypto';
import { parseRosterKey } from '#domain/upload-key.ts';
import type { Registration } from '#schemas/ingest-task.ts';
import type { AuditTrail, RunStateStore, UploadIdentity } from './ports.ts';

/** The parts of an S3 "Object Created" event that identify an upload. */
export interface ObjectCreated {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string | undefined;
  readonly etag: string | undefined;
  readonly sequencer: string | undefined;
  readonly size: number;
  /** Event time (ISO 8601). */
  readonly time: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Derives the upload's identity, or why the key is no roster upload. */
export function identifyUpload(event: ObjectCreated): UploadIdentity | { ignored: string } {
  const parsed = parseRosterKey(event.key);
  if ('ignored' in parsed) return parsed;
  const version = event.versionId ?? event.etag ?? event.sequencer ?? event.time;
  return {
    bucket: event.bucket,
    key: event.key,
    version,
    ...(event.versionId ? { versionId: event.versionId } : {}),
    ...(event.etag ? { etag: event.etag.replaceAll('"', '') } : {}),
    month: parsed.month,
    batch: parsed.batch,
    fileName: parsed.fileName,
    size: event.size,
    order: `${new Date(event.time).toISOString()}|${parsed.fileName}`,
    uploadId: sha256(`${event.bucket}/${event.key}#${version}`).slice(0, 16),
  };
}

/**
 * Registers an uploaded roster: a new upload that is the newest of its batch is to be validated;
 * a repeated event is a duplicate; an upload older than the batch's current one is kept but
 * superseded (contract section 1: the one uploaded last counts).
 */
export async function registerUpload(
  event: ObjectCreated,
  deps: { state: RunStateStore; audit: AuditTrail; now: () => string },
): Promise<Registration> {
  const upload = identifyUpload(event);
  if ('ignored' in upload) return { action: 'IGNORE', key: event.key, reason: upload.ignored };
  const at = deps.now();
  const result = await deps.state.registerUpload(upload, at);
  if (result === 'DUPLICATE') return { action: 'DUPLICATE', upload };
  await deps.audit.append({
    month: upload.month,
    action: result === 'REGISTERED' ? 'FILE_RECEIVED' : 'FILE_RECEIVED_SUPERSEDED',
    actor: `batch:${upload.batch}`,
    at,
    subject: upload.key,
    details: {
      uploadId: upload.uploadId,
      version: upload.version,
      etag: event.etag,
      size: upload.size,
      order: upload.order,
    },
  });
  return { action: result === 'REGISTERED' ? 'VALIDATE' : 'SUPERSEDED', upload };
}
