import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { type LocalStack, type StandInsPlace, startLocalStack } from '#local/stand-ins/local-stack.ts';
import { isProcessAlive } from '#local/stand-ins/stale-folders.ts';
import type { S3NotificationRecord } from '#local/stand-ins/stand-in-servers.ts';
import { forkStandInsAhead } from '#local/stand-ins/stand-ins-ahead.ts';
import { FUNCTION_ALLOCATOR_ENVIRONMENT } from '#pipelines/function-allocator.ts';

const PROJECT = join(import.meta.dirname, '..', '..');
const PARENT = join(PROJECT, 'test', 'fixtures', 'local', 'stand-ins-parent.ts');

/** Resolves once `check` holds, polling; rejects after `ms`. */
async function within(ms: number, check: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Runs `body` on an embedded stack with its stand-ins `place`, an S3 client of it and a temporary
 * folder of local files; the client, the stack and the folder are let go after, whatever happens.
 */
async function onStack(
  place: StandInsPlace,
  body: (on: { stack: LocalStack; s3: S3Client; folder: string }) => Promise<void>,
): Promise<void> {
  const stack = await startLocalStack({ standIns: place });
  const s3 = new S3Client({ endpoint: stack.s3Endpoint, forcePathStyle: true });
  const folder = await mkdtemp(join(tmpdir(), 'stand-in-files-'));
  try {
    await body({ stack, s3, folder });
  } finally {
    s3.destroy();
    await stack.stop();
    await rm(folder, { recursive: true, force: true });
  }
}

describe.each<StandInsPlace>(['child', 'in-process'])('the embedded stack with its stand-ins %s', (place) => {
  it('tells object events in the order of their PUTs, every one of them once the PUTs are answered', async () => {
    // Prepare
    const stack = await startLocalStack({ standIns: place });
    const s3 = new S3Client({ endpoint: stack.s3Endpoint, forcePathStyle: true });
    const seen: string[] = [];
    stack.onObjectEvent((record) => seen.push(`${record.eventName} ${record.s3.object.key}`));
    const keys = Array.from({ length: 40 }, (_, i) => `incoming/2026-10/town-${(i * 7) % 40}/roster.csv`);
    try {
      // Act
      for (const key of keys)
        await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: key }));
      await stack.eventsDelivered();
      const delivered = [...seen];

      // Assess
      expect(delivered).toEqual(keys.map((key) => `ObjectCreated:Put ${key}`));
      expect(stack.standIns).toBe(place);
      expect(stack.standInsPid === process.pid).toBe(place === 'in-process');
    } finally {
      s3.destroy();
      await stack.stop();
    }
  });

  it('imports a local file as a PUT of its bytes would store it: its bytes, size and content type, an ETag of its own, and its event, told before the import resolves', async () => {
    await onStack(place, async ({ stack, s3, folder }) => {
      // Prepare: 3 MB of bytes (UTF-8 text and binary), PUT to one key and imported to another
      const bytes = Buffer.concat([Buffer.from('id_number,姓名\n'), randomBytes(3 << 20)]);
      const path = join(folder, 'registrations-a.csv');
      await writeFile(path, bytes);
      const events: S3NotificationRecord[] = [];
      stack.onObjectEvent((record) => events.push(record));
      const head = (Key: string) => s3.send(new HeadObjectCommand({ Bucket: stack.bucket, Key }));
      await s3.send(
        new PutObjectCommand({ Bucket: stack.bucket, Key: 'partners/business/put.csv', Body: bytes }),
      );
      await stack.eventsDelivered();
      const put = events.splice(0);

      // Act
      await stack.importFile('partners/business/registrations-a.csv', path);
      const told = [...events];
      const imported = await head('partners/business/registrations-a.csv');
      const body = await s3.send(
        new GetObjectCommand({ Bucket: stack.bucket, Key: 'partners/business/registrations-a.csv' }),
      );
      const read = Buffer.from(
        await (body.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
      );
      const asPut = await head('partners/business/put.csv');

      // Assess
      expect(read.equals(bytes)).toBe(true);
      expect(imported.ContentLength).toBe(bytes.length);
      expect(imported.ContentType).toBe(asPut.ContentType);
      expect(imported.ETag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(imported.ETag).not.toBe(asPut.ETag);
      expect(told).toHaveLength(1);
      const [event] = told as [S3NotificationRecord];
      expect(event.eventName).toBe('ObjectCreated:Put');
      expect(event.s3.bucket.name).toBe(stack.bucket);
      expect(event.s3.object).toMatchObject({
        key: 'partners/business/registrations-a.csv',
        size: bytes.length,
        eTag: imported.ETag?.replaceAll('"', ''),
      });
      expect(Object.keys(event).sort()).toEqual(Object.keys(put[0] as object).sort());
      expect(Object.keys(event.s3.object).sort()).toEqual(
        Object.keys((put[0] as S3NotificationRecord).s3.object).sort(),
      );
    });
  });

  it('imports over an object, replacing it whole with an ETag of its own; refuses a missing file and stores nothing', async () => {
    await onStack(place, async ({ stack, s3, folder }) => {
      // Prepare
      const key = 'reference/towns.csv';
      const events: string[] = [];
      stack.onObjectEvent((record) => events.push(record.s3.object.key));
      await writeFile(join(folder, 'first.csv'), 'code,name\nnanqu,南区\n');
      await writeFile(join(folder, 'second.csv'), 'code,name\n');
      await stack.importFile(key, join(folder, 'first.csv'));
      const first = await s3.send(new HeadObjectCommand({ Bucket: stack.bucket, Key: key }));

      // Act
      await stack.importFile(key, join(folder, 'second.csv'));
      const refused = await stack.importFile('reference/missing.csv', join(folder, 'missing.csv')).then(
        () => 'imported',
        (error: Error) => error.message,
      );

      // Assess
      expect(refused).toMatch(/ENOENT/);
      const second = await s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: key }));
      expect(await second.Body?.transformToString()).toBe('code,name\n');
      expect(second.ETag).not.toBe(first.ETag);
      await expect(
        s3.send(new HeadObjectCommand({ Bucket: stack.bucket, Key: 'reference/missing.csv' })),
      ).rejects.toMatchObject({ name: 'NotFound' });
      await stack.eventsDelivered();
      expect(events).toEqual([key, key]);
    });
  });

  it('exports an object to a local file, its bytes as a GET gives them; a missing key writes nothing; a failed copy rejects and leaves nothing', async () => {
    await onStack(place, async ({ stack, s3, folder }) => {
      // Prepare: an object of 3 MB, PUT through the API
      const bytes = Buffer.concat([Buffer.from('payment_ref,姓名\n'), randomBytes(3 << 20)]);
      const key = 'months/2026-10/release.csv';
      await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: bytes }));

      // Act
      const saved = await stack.exportObject(key, join(folder, 'release.csv'));
      const missing = await stack.exportObject('months/2026-10/absent.csv', join(folder, 'absent.csv'));
      const failed = await stack.exportObject(key, join(folder, 'no-such-folder', 'release.csv')).then(
        () => 'saved',
        (error: Error) => error.message,
      );

      // Assess
      expect(saved).toBe(true);
      expect((await readFile(join(folder, 'release.csv'))).equals(bytes)).toBe(true);
      expect(missing).toBe(false);
      expect(existsSync(join(folder, 'absent.csv'))).toBe(false);
      expect(failed).toMatch(/ENOENT/);
      expect(existsSync(join(folder, 'no-such-folder'))).toBe(false);
    });
  });

  it('stop ends the stand-ins and removes their folder', async () => {
    // Prepare
    const stack = await startLocalStack({ standIns: place });

    // Act
    await stack.stop();

    // Assess
    expect(existsSync(stack.directory)).toBe(false);
    expect(isProcessAlive(stack.standInsPid)).toBe(place === 'in-process');
  });

  it('stop ends the DynamoDB stand-in too, though a client still holds a keep-alive connection to it', async () => {
    // Prepare: a client that has talked to the table service and is not destroyed
    const stack = await startLocalStack({ standIns: place });
    const client = new DynamoDBClient({ endpoint: stack.dynamoEndpoint });
    const tables = await client.send(new ListTablesCommand({}));

    // Act
    await stack.stop();

    // Assess
    expect(tables.TableNames).toContain(stack.caseTable);
    await expect(
      fetch(stack.dynamoEndpoint, { method: 'POST', signal: AbortSignal.timeout(5_000) }),
    ).rejects.toThrow();
    client.destroy();
  });
});

describe('the stand-ins in a child process', () => {
  it('forked ahead, are adopted by the stack: its folder and process, stopped and removed with it', async () => {
    // Prepare
    const ahead = await forkStandInsAhead();
    const made = existsSync(ahead.directory);

    // Act
    const stack = await startLocalStack({ ahead });
    const s3 = new S3Client({ endpoint: stack.s3Endpoint, forcePathStyle: true });
    const seen: string[] = [];
    stack.onObjectEvent((record) => seen.push(record.s3.object.key));
    await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: 'incoming/2026-10/a.csv', Body: 'x' }));
    await stack.eventsDelivered();
    s3.destroy();
    const pid = stack.standInsPid;
    await stack.stop();
    await ahead.release();

    // Assess
    expect(made).toBe(true);
    expect(basename(ahead.directory)).toMatch(new RegExp(`^payguard-s3-${process.pid}-`));
    expect(stack.directory).toBe(ahead.directory);
    expect(stack.standIns).toBe('child');
    expect(pid).not.toBe(process.pid);
    expect(seen).toEqual(['incoming/2026-10/a.csv']);
    expect(existsSync(ahead.directory)).toBe(false);
    expect(isProcessAlive(pid)).toBe(false);
    expect(() => ahead.adopt()).toThrow(/adopted already/);
  });

  it("run with the functions' allocator settings in their environment", async () => {
    // Prepare
    const stack = await startLocalStack({ standIns: 'child' });

    // Act
    let environ: string;
    try {
      environ = await readFile(`/proc/${stack.standInsPid}/environ`, 'utf8');
    } finally {
      await stack.stop();
    }

    // Assess: glibc's loader may parse the variable in place, leaving a NUL where each ':' was.
    const entries = environ.split('\0');
    const at = entries.findIndex((entry) => entry.startsWith('GLIBC_TUNABLES='));
    const rest = entries.slice(at + 1);
    const end = rest.findIndex((entry) => !entry.startsWith('glibc.'));
    const parts = end < 0 ? rest : rest.slice(0, end);
    expect(at).toBeGreaterThanOrEqual(0);
    expect([(entries[at] as string).slice('GLIBC_TUNABLES='.length), ...parts].join(':')).toBe(
      FUNCTION_ALLOCATOR_ENVIRONMENT.GLIBC_TUNABLES,
    );
  });

  it('forked ahead and released without a stack, end and leave no folder', async () => {
    // Prepare
    const ahead = await forkStandInsAhead();

    // Act
    await ahead.release();
    await ahead.release();

    // Assess
    expect(existsSync(ahead.directory)).toBe(false);
    await expect(startLocalStack({ ahead })).rejects.toThrow(/adopted already/);
  });

  it('end when their parent is killed (SIGKILL), and leave a folder named after the dead parent', async () => {
    // Prepare
    const parent = spawn(process.execPath, ['--import', 'tsx', PARENT], {
      cwd: PROJECT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => parent.once('exit', resolve));
    const started = await new Promise<{ pid: number; standInsPid: number; directory: string }>(
      (resolve, reject) => {
        let output = '';
        parent.stdout?.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('\n')) resolve(JSON.parse(output.split('\n')[0] ?? ''));
        });
        parent.once('exit', (code) => reject(new Error(`the parent ended (${code}) before starting`)));
      },
    );
    const aliveBefore = isProcessAlive(started.standInsPid);

    // Act
    parent.kill('SIGKILL');
    await exited;
    await within(5_000, () => !isProcessAlive(started.standInsPid));

    // Assess
    expect(aliveBefore).toBe(true);
    expect(started.standInsPid).not.toBe(started.pid);
    expect(basename(started.directory)).toMatch(new RegExp(`^payguard-s3-${started.pid}-`));
    // The next stack removes the folder: its pid is the parent's, gone with the run.
    const next = await startLocalStack({ standIns: 'child' });
    await next.stop();
    expect(existsSync(started.directory)).toBe(false);
  });
});
