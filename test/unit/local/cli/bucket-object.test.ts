import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveObject, saveObjects } from '#local/cli/bucket-object.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'payguard-save-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A client whose GetObject answers with `body` (a stream), or fails with `error`. */
const answering = (answer: { body?: () => Readable; error?: Error }) =>
  ({
    send: async () => {
      if (answer.error) throw answer.error;
      return { Body: answer.body?.() };
    },
  }) as unknown as S3Client;

describe('saveObject', () => {
  it('writes the object to the file chunk by chunk, bytes unchanged', async () => {
    // Prepare
    const chunks = Array.from({ length: 40 }, (_, i) =>
      Buffer.from(`第${i}行,442000********123X,1180.00\n`.repeat(500)),
    );
    const path = join(dir, 'release.csv');

    // Act
    const saved = await saveObject(answering({ body: () => Readable.from(chunks) }), 'b', 'k', path);

    // Assess
    expect(saved).toBe(true);
    expect((await readFile(path)).equals(Buffer.concat(chunks))).toBe(true);
  });

  it('writes nothing for a key the bucket does not hold', async () => {
    // Prepare
    const missing = Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
    const path = join(dir, 'sample.csv');

    // Act
    const saved = await saveObject(answering({ error: missing }), 'b', 'k', path);

    // Assess
    expect(saved).toBe(false);
    expect(existsSync(path)).toBe(false);
  });

  it('removes the part written when the stream breaks off, and says why', async () => {
    // Prepare
    const path = join(dir, 'closeout.csv');
    const broken = () =>
      Readable.from(
        (async function* () {
          yield Buffer.from('payment_ref,code\n');
          throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        })(),
      );

    // Act
    const saving = saveObject(answering({ body: broken }), 'b', 'k', path);

    // Assess
    await expect(saving).rejects.toThrow('socket hang up');
    expect(existsSync(path)).toBe(false);
  });

  it('passes on any other error of the request', async () => {
    // Act
    const saving = saveObject(
      answering({ error: Object.assign(new Error('denied'), { name: 'AccessDenied' }) }),
      'b',
      'k',
      join(dir, 'x'),
    );

    // Assess
    await expect(saving).rejects.toThrow('denied');
  });
});

describe('saveObjects', () => {
  it('saves every object at once, each to its file, and lists the files written in the order given', async () => {
    // Prepare: three keys, the first answered last; the bucket has no `absent`.
    const bodies: Record<string, { text: string; delayMs: number }> = {
      'months/2026-10/release.csv': { text: '批次,金额\n'.repeat(2000), delayMs: 60 },
      'months/2026-10/findings.csv': { text: 'code,detail\n', delayMs: 0 },
      'months/2026-10/closeout.csv': { text: 'status\nPAID\n', delayMs: 20 },
    };
    let inFlight = 0;
    let most = 0;
    const client = {
      send: async (command: { input: { Key: string } }) => {
        const body = bodies[command.input.Key];
        if (body === undefined)
          throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, body.delayMs));
        inFlight--;
        return { Body: Readable.from([Buffer.from(body.text)]) };
      },
    } as unknown as S3Client;
    const objects = [
      { key: 'months/2026-10/release.csv', path: join(dir, 'release.csv') },
      { key: 'months/2026-10/absent.csv', path: join(dir, 'absent.csv') },
      { key: 'months/2026-10/findings.csv', path: join(dir, 'findings.csv') },
      { key: 'months/2026-10/closeout.csv', path: join(dir, 'closeout.csv') },
    ];

    // Act
    const written = await saveObjects(client, 'b', objects);

    // Assess
    expect(written).toEqual([join(dir, 'release.csv'), join(dir, 'findings.csv'), join(dir, 'closeout.csv')]);
    expect(most).toBe(3);
    for (const { key, path } of objects.filter((o) => bodies[o.key] !== undefined))
      expect(await readFile(path, 'utf8')).toBe(bodies[key]?.text);
    expect(existsSync(join(dir, 'absent.csv'))).toBe(false);
  });
});
