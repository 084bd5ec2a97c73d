import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '#adapters/clients.ts';
import { S3ObjectStore } from '#adapters/s3-object-store.ts';
import { runAsFunction } from '#local/stand-ins/function-context.ts';
import { BUCKET_ACCESS, bucketAccessOf } from '#pipelines/bucket-access.ts';
import {
  matchesPattern,
  releaseCandidate,
  releaseFile,
  rosterUpload,
  runReleaseCandidate,
  stagedRoster,
  townsFile,
  validationReport,
} from '#schemas/bucket-layout.ts';
import { TransientStorageError, UploadVanishedError } from '#usecases/errors.ts';
import { type IngestHarness, startIngestHarness } from '../support/local-harness.ts';
import { csv, ENGLISH_HEADER, rosterRow, TOWNS_CSV } from '../support/roster-builder.ts';

const MONTH = '2026-10';
let h: IngestHarness;

/** ValidateRoster as declared, minus its read of the towns: a grant someone forgot. */
const withoutTowns = (module: string) =>
  module === 'validate-roster'
    ? { ...BUCKET_ACCESS[module], read: BUCKET_ACCESS[module]?.read?.filter((f) => f !== townsFile) }
    : bucketAccessOf(module);

/** Every key in the bucket, read outside any function. */
async function allKeys(): Promise<string[]> {
  const page = await h.s3.send(new ListObjectsV2Command({ Bucket: h.stack.bucket }));
  return (page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
}

/** What an S3 call rejected with, or `undefined` when it succeeded. */
async function rejection(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
    return undefined;
  } catch (error) {
    return error;
  }
}

beforeAll(async () => {
  h = await startIngestHarness({ bucketAccess: withoutTowns });
  await h.put(townsFile.key(), TOWNS_CSV);
});

afterAll(async () => {
  await h?.stop();
});

describe('the embedded stack guards the bucket by each function grants', () => {
  it('fails the real workflow when a function reads a key outside its declared families', async () => {
    // Prepare
    const key = rosterUpload.key({ month: MONTH, batch: 'shiqi', file: 'roster.csv' });

    // Act
    await h.put(key, csv(ENGLISH_HEADER, [rosterRow({}, 1)]));
    await h.bridge.drain();
    const execution = h.bridge.executions.find(
      (e) => (e.input as { detail: { object: { key: string } } }).detail.object.key === key,
    );
    await execution?.result.catch(() => undefined);
    const failed = execution?.events.find((e) => e.type === 'ExecutionFailed') as
      | { Error?: string; Cause?: string }
      | undefined;
    // The step's own error, which the workflow catches and records before it fails the execution.
    const denied = execution?.events.find((e) => (e as { Error?: string }).Error === 'AccessDenied') as
      | { Error?: string; Cause?: string }
      | undefined;

    // Assess
    expect(failed?.Error).toBe('IngestFailed');
    expect(denied?.Cause).toContain('payguard-validate-roster');
    expect(denied?.Cause).toContain(
      `s3:GetObject on resource: "arn:aws:s3:::payguard-data/${townsFile.key()}"`,
    );
    const written = await allKeys();
    expect(written.filter((k) => matchesPattern(stagedRoster.pattern, k))).toEqual([]);
    expect(written.filter((k) => matchesPattern(validationReport.pattern, k))).toEqual([]);
  });

  it('refuses a write outside the grants with AccessDenied (403), neither transient nor "absent"', async () => {
    // Prepare
    const store = new S3ObjectStore(s3Client(), h.stack.bucket);
    const release = releaseFile.key({ month: MONTH });

    // Act
    const write = (await rejection(() =>
      runAsFunction('close-out-month', () => store.put(release, 'payment_ref\r\n', 'text/csv')),
    )) as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
    const read = await rejection(() => runAsFunction('notify-bureau', () => store.readBytes(release)));
    const open = await rejection(() => runAsFunction('notify-bureau', () => store.open(release)));

    // Assess
    expect(write?.name).toBe('AccessDenied');
    expect(write?.$metadata?.httpStatusCode).toBe(403);
    expect(write).not.toBeInstanceOf(TransientStorageError);
    expect((read as Error | undefined)?.name).toBe('AccessDenied');
    expect(open).not.toBeInstanceOf(UploadVanishedError);
    expect((open as Error | undefined)?.name).toBe('AccessDenied');
    expect(await h.get(release)).toBeUndefined();
  });

  it('lets the release function write the release, and a granted read of an absent key is "absent"', async () => {
    // Prepare
    const store = new S3ObjectStore(s3Client(), h.stack.bucket);
    const release = releaseFile.key({ month: '2026-11' });

    // Act
    const before = await runAsFunction('compute-month-metrics', () => store.readBytes(release));
    await runAsFunction('release-month', () => store.put(release, 'payment_ref\r\n', 'text/csv'));
    const after = await runAsFunction('compute-month-metrics', () => store.readBytes(release));

    // Assess
    expect(before).toBeUndefined();
    expect(Buffer.from(after ?? []).toString()).toBe('payment_ref\r\n');
  });

  it('refuses a listing outside the folders a function lists, and any other bucket', async () => {
    // Prepare
    const list = (bucket: string, prefix: string) =>
      s3Client().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));

    // Act
    const allowed = await runAsFunction('detect-month-anomalies', () => list(h.stack.bucket, 'metrics/'));
    const outside = await rejection(() =>
      runAsFunction('detect-month-anomalies', () => list(h.stack.bucket, 'reports/')),
    );
    const whole = await rejection(() =>
      runAsFunction('detect-month-anomalies', () => list(h.stack.bucket, '')),
    );
    const other = await rejection(() =>
      runAsFunction('detect-month-anomalies', () => list('another-bucket', 'metrics/')),
    );

    // Assess
    expect(allowed.$metadata.httpStatusCode).toBe(200);
    for (const error of [outside, whole, other])
      expect((error as Error | undefined)?.name).toBe('AccessDenied');
  });

  it('refuses everything to a function with no bucket access, and nothing outside a function', async () => {
    // Prepare
    const store = new S3ObjectStore(s3Client(), h.stack.bucket);

    // Act
    const denied = await rejection(() =>
      runAsFunction('register-upload', () => store.readBytes(townsFile.key())),
    );
    const outside = await store.readBytes(townsFile.key());

    // Assess
    expect((denied as Error | undefined)?.name).toBe('AccessDenied');
    expect(Buffer.from(outside ?? []).toString()).toBe(TOWNS_CSV);
  });

  it('asks a copy for a read of its source as well as a write of its key, as IAM does', async () => {
    // Prepare
    const store = new S3ObjectStore(s3Client(), h.stack.bucket);
    const candidate = runReleaseCandidate.key({ month: '2026-12', runId: 'r1' });
    const release = releaseFile.key({ month: '2026-12' });
    await store.put(candidate, 'payment_ref\r\n', 'text/csv');

    // Act
    await runAsFunction('release-month', () => store.copy(candidate, release));
    const unreadable = await rejection(() =>
      runAsFunction('release-month', () =>
        store.copy(rosterUpload.key({ month: '2026-12', batch: 'shiqi', file: 'a.csv' }), release),
      ),
    );
    const unwritable = await rejection(() =>
      runAsFunction('close-out-month', () => store.copy(release, releaseCandidate.key({ month: '2026-12' }))),
    );

    // Assess
    expect(Buffer.from((await h.get(release)) ?? []).toString()).toBe('payment_ref\r\n');
    expect((unreadable as Error | undefined)?.name).toBe('AccessDenied');
    expect((unreadable as Error | undefined)?.message).toContain('s3:GetObject');
    expect((unwritable as Error | undefined)?.name).toBe('AccessDenied');
    expect((unwritable as Error | undefined)?.message).toContain('s3:PutObject');
  });
});
